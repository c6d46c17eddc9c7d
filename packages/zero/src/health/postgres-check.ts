import { createHash, createHmac, pbkdf2, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { type Conversation, converse } from "./connection.js";

const derive = promisify(pbkdf2);

/** A PostgreSQL error as the server sent it: `code` is its SQLSTATE (28P01 a wrong password, 57P03 starting up). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Logs in as the URL's role with its password and runs `select 1`, in PostgreSQL's own protocol (version 3). The
 * supervisor checks PostgreSQL as it starts and every few seconds after: loading the pg package for that cost it
 * ~50 ms of CPU at the moment PostgreSQL starts, and memory for as long as the stack runs. Passwords: SCRAM-SHA-256
 * (what zero's clusters use), md5 and clear text; no TLS (loopback, or a container's published port).
 */
export function queryPostgres(url: string, signal: AbortSignal): Promise<void> {
  const { hostname, port, username, password, pathname } = new URL(url);
  const user = decodeURIComponent(username);
  const database = decodeURIComponent(pathname.slice(1)) || user;
  return converse(hostname, Number(port) || 5432, signal, async (conversation) => {
    conversation.send(startupMessage(user, database));
    await authenticate(conversation, user, decodeURIComponent(password));
    conversation.send(message("Q", cstring("select 1")));
    let answered = false;
    for (;;) {
      const { type, body } = await nextMessage(conversation);
      if (type === "E") throw errorFrom(body);
      if (type === "C") answered = true;
      if (type === "Z") break;
    }
    if (!answered) throw new Error("PostgreSQL did not answer select 1");
    conversation.send(message("X", Buffer.alloc(0)));
  });
}

/** Until the server says it is ready for a query: its password exchange, then its settings. */
async function authenticate(conversation: Conversation, user: string, password: string): Promise<void> {
  let scram: Scram | undefined;
  for (;;) {
    const { type, body } = await nextMessage(conversation);
    if (type === "E") throw errorFrom(body);
    if (type === "Z") return;
    if (type !== "R") continue; // parameters, the cancel key, notices
    const request = body.readInt32BE(0);
    if (request === 0) continue; // authenticated
    if (request === 3) conversation.send(message("p", cstring(password)));
    else if (request === 5) conversation.send(message("p", cstring(md5Password(user, password, body.subarray(4, 8)))));
    else if (request === 10) {
      if (!body.subarray(4).toString().split("\0").includes("SCRAM-SHA-256"))
        throw new Error("PostgreSQL offers no SCRAM-SHA-256 login");
      scram = new Scram(password);
      const first = Buffer.from(scram.clientFirst);
      conversation.send(message("p", Buffer.concat([cstring("SCRAM-SHA-256"), int32(first.length), first])));
    } else if (request === 11 && scram)
      conversation.send(message("p", Buffer.from(await scram.clientFinal(body.subarray(4).toString()))));
    else if (request === 12 && scram) scram.checkServer(body.subarray(4).toString());
    else throw new Error(`PostgreSQL asks for a login method zero's check does not speak (${request})`);
  }
}

/** SCRAM-SHA-256 as a client (RFC 5802, RFC 7677), without channel binding. */
class Scram {
  private readonly nonce = randomBytes(18).toString("base64");
  readonly clientFirst = `n,,n=*,r=${this.nonce}`;
  private expectedServerSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  async clientFinal(serverFirst: string): Promise<string> {
    const fields = attributes(serverFirst);
    const serverNonce = fields.get("r") ?? "";
    const salt = Buffer.from(fields.get("s") ?? "", "base64");
    const iterations = Number(fields.get("i"));
    if (!serverNonce.startsWith(this.nonce) || serverNonce === this.nonce || !salt.length || !(iterations > 0)) {
      throw new Error("PostgreSQL sent an invalid SCRAM challenge");
    }
    const salted = await derive(this.password, salt, iterations, 32, "sha256");
    const clientKey = hmac(salted, "Client Key");
    const withoutProof = `c=biws,r=${serverNonce}`;
    const authMessage = `${this.clientFirst.slice(3)},${serverFirst},${withoutProof}`;
    const signature = hmac(createHash("sha256").update(clientKey).digest(), authMessage);
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    this.expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
    return `${withoutProof},p=${proof.toString("base64")}`;
  }

  /** The server proves it knew the password too. */
  checkServer(serverFinal: string): void {
    const signature = Buffer.from(attributes(serverFinal).get("v") ?? "", "base64");
    if (!this.expectedServerSignature?.equals(signature))
      throw new Error("PostgreSQL's SCRAM signature does not match");
  }
}

function attributes(text: string): Map<string, string> {
  return new Map(text.split(",").map((pair) => [pair.slice(0, 1), pair.slice(2)]));
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text).digest();
}

function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = createHash("md5")
    .update(password + user)
    .digest("hex");
  return `md5${createHash("md5")
    .update(Buffer.concat([Buffer.from(inner), salt]))
    .digest("hex")}`;
}

function startupMessage(user: string, database: string): Buffer {
  const body = Buffer.concat([
    int32(196608),
    cstring("user"),
    cstring(user),
    cstring("database"),
    cstring(database),
    Buffer.from([0]),
  ]);
  return Buffer.concat([int32(body.length + 4), body]);
}

function message(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}

async function nextMessage(conversation: Conversation): Promise<{ type: string; body: Buffer }> {
  for (;;) {
    const { received } = conversation;
    if (received.length >= 5 && received.length >= 1 + received.readInt32BE(1)) {
      const whole = conversation.take(1 + received.readInt32BE(1));
      return { type: String.fromCharCode(whole[0]!), body: whole.subarray(5) };
    }
    await conversation.more();
  }
}

/** An ErrorResponse's fields: S severity, C SQLSTATE, M message, each a letter and a C string. */
function errorFrom(body: Buffer): PostgresError {
  const fields = new Map<string, string>();
  for (let at = 0; at < body.length && body[at] !== 0; ) {
    const end = body.indexOf(0, at + 1);
    fields.set(String.fromCharCode(body[at]!), body.subarray(at + 1, end).toString());
    at = end + 1;
  }
  return new PostgresError(fields.get("M") ?? "PostgreSQL refused", fields.get("C"));
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`);
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}
