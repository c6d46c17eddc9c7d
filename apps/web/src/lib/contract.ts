// The page reads every control API answer with the contract's schema (@zero/contracts/control), never a cast: an
// answer of another shape (a supervisor of another version) names its wrong field instead of showing empty cells.

/** What the page needs of a zod schema (the dashboard does not depend on zod itself, only on the contracts). */
export interface AnswerSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** The value as its schema reads it, or why not (the first wrong field and what the contract expects there). */
export function checkAnswer<T>(
  schema: AnswerSchema<T>,
  value: unknown,
  what: string,
): { value: T } | { error: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue?.path.map(String).join(".") || "its root";
  return { error: `${what} that breaks the contract at ${at}: ${issue?.message ?? "unexpected shape"}` };
}

/** A successful answer's body, read with its schema; throws (with the field) when it does not match. */
export async function readAnswer<T>(response: Response, schema: AnswerSchema<T>, what: string): Promise<T> {
  const checked = checkAnswer(schema, await response.json(), what);
  if ("error" in checked) throw new Error(checked.error);
  return checked.value;
}
