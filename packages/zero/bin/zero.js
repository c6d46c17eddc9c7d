#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/ (by `npm run build`, which make does) for a fast start.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));
