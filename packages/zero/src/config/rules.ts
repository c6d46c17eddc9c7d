import { defaultRuntime, runtimeNames } from "../runtimes/table.js";

/**
 * A known variable: how to validate it, and how to explain a bad value. Plain predicates, not zod: every command checks
 * .env, and loading zod to do it cost ~40 ms of CPU on `make dev`'s path, where nothing else needs it.
 */
export interface VariableRule {
  accepts: (value: string) => boolean;
  accepted: string;
  example: string;
  description: string;
  /** zero's own default when neither stack.yaml nor the user sets it. */
  builtIn?: string;
}

const port = (description: string, example: string): VariableRule => ({
  accepts: (value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535,
  accepted: "a whole number from 1 to 65535",
  example,
  description,
});

const oneOf = (values: readonly string[], description: string): VariableRule => ({
  accepts: (value) => values.includes(value),
  accepted: `one of ${values.join(", ")}`,
  example: values[0]!,
  description,
});

const text = (description: string, example: string, pattern = /^\S+$/): VariableRule => ({
  accepts: (value) => pattern.test(value),
  accepted: "a value without spaces",
  example,
  description,
});

/** Every variable zero knows. Unknown variables pass through untouched (apps may use them). */
export const variableRules: Record<string, VariableRule> = {
  WEB_PORT: port("Port of the web dashboard", "3000"),
  API_PORT: port("Port of the API", "3001"),
  API_DEBUG_PORT: port("Port of the API's Node inspector", "9229"),
  POSTGRES_PORT: port("Port of PostgreSQL", "5432"),
  REDIS_PORT: port("Port of Redis", "6379"),
  HTTPS_PORT: port("Port of the local HTTPS proxy (https=1)", "8443"),
  POSTGRES_DB: text("Database the API uses", "app", /^[A-Za-z_][A-Za-z0-9_-]*$/),
  POSTGRES_USER: text("Role the API connects as", "app", /^[A-Za-z_][A-Za-z0-9_-]*$/),
  POSTGRES_PASSWORD: text("Password of the PostgreSQL role (secret)", "run `zero secrets generate`"),
  REDIS_PASSWORD: text("Password Redis requires (secret)", "run `zero secrets generate`"),
  LOG_LEVEL: oneOf(["DEBUG", "INFO", "WARN", "ERROR"], "API log level"),
  VITE_LOG_LEVEL: oneOf(["debug", "info", "warn", "error", "silent"], "What the web app writes to the browser console in development"),
  AUTO_SEED: { ...oneOf(["true", "false"], "Seed the database with the sample data on its first start"), builtIn: "true" },
  DEFAULT_TENANT: {
    ...text("Tenant (studio slug) the API's /api/v1 acts for without an X-Tenant header", "northlight", /^[a-z0-9][a-z0-9-]{1,62}$/),
    accepted: "a slug of lower-case letters, digits and dashes",
  },
  ZERO_RUNTIME: { ...oneOf(runtimeNames(), "How to run the stack"), builtIn: defaultRuntime },
  CORS_ORIGIN: {
    accepts: (value) => value.split(",").every((origin) => URL.canParse(origin.trim())),
    accepted: "one or more URLs separated by commas",
    example: "http://127.0.0.1:3000",
    description: "Origins allowed to call the API from a browser",
  },
  ALLOWED_HOSTS: {
    accepts: (value) => /^$|^\.?[a-z0-9.-]+(,\s*\.?[a-z0-9.-]+)*$/i.test(value),
    accepted: "host names separated by commas; a leading dot also allows subdomains",
    example: ".dev.test",
    description: "Local domains the API and the dashboard answer to besides localhost and 127.0.0.1",
  },
};

/** The rule for a variable, if zero knows it. Own keys only: a .env line `valueOf=` or `constructor=` must not find
 * Object.prototype's members (the config property test found that crash). */
export function ruleFor(name: string): VariableRule | undefined {
  return Object.hasOwn(variableRules, name) ? variableRules[name] : undefined;
}
