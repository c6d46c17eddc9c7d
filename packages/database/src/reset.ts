import pg from "pg";

// Drops the database named in the URL and creates it again, empty, owned by the URL's role. Run from the
// maintenance database "postgres"; WITH (FORCE) ends other sessions (the API's pool reconnects by itself).
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  const owner = decodeURIComponent(url.username);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString(), application_name: "zero-reset" });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    await client.query(`create database ${quoteIdent(database)} owner ${quoteIdent(owner)}`);
  } finally {
    await client.end();
  }
}

// Identifiers cannot be bound as parameters; double quotes with doubled inner quotes make any name safe.
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
