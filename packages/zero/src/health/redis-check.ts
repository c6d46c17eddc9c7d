import { type Conversation, converse } from "./connection.js";

/**
 * Sends AUTH with the URL's password (and user, when it names one), then PING, and expects PONG, in Redis' own
 * protocol (RESP). The supervisor checks Redis as it starts and every few seconds after: loading ioredis for that
 * cost it ~50 ms of CPU at the moment Redis starts, and memory for as long as the stack runs. No TLS (loopback, or a
 * container's published port).
 */
export function pingRedis(url: string, signal: AbortSignal): Promise<void> {
  const { hostname, port, username, password } = new URL(url);
  const auth = password
    ? [...(username ? [decodeURIComponent(username)] : []), decodeURIComponent(password)]
    : undefined;
  return converse(hostname, Number(port) || 6379, signal, async (conversation) => {
    conversation.send(Buffer.concat([...(auth ? [command("AUTH", ...auth)] : []), command("PING")]));
    if (auth) {
      const answer = await nextLine(conversation);
      // A server without a password accepts anyone; ioredis, which this replaces, went on the same way.
      if (answer !== "+OK" && !/without any password configured|no password is set/.test(answer))
        throw redisError(answer);
    }
    const answer = await nextLine(conversation);
    if (answer.startsWith("-")) throw redisError(answer);
    if (answer !== "+PONG") throw new Error(`unexpected PING answer ${answer}`);
  });
}

/** A RESP array of bulk strings. */
function command(...words: string[]): Buffer {
  const parts = words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`);
  return Buffer.from(`*${words.length}\r\n${parts.join("")}`);
}

/** One reply line (simple string or error): all AUTH and PING answer with. */
async function nextLine(conversation: Conversation): Promise<string> {
  for (;;) {
    const end = conversation.received.indexOf("\r\n");
    if (end >= 0) return conversation.take(end + 2).toString("utf8", 0, end);
    await conversation.more();
  }
}

/** "-WRONGPASS invalid username-password pair": the message as Redis words it, which names the kind of failure. */
function redisError(line: string): Error {
  return new Error(line.replace(/^-/, ""));
}
