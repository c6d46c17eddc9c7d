import { type StacksView, stacksViewSchema } from "@zero/contracts/control";
import { useEffect, useState } from "react";
import { readAnswer } from "../lib/contract";
import { controlFetch } from "../lib/control";

// Other stacks start and stop while the page is open; a quiet re-read now and then keeps the list current.
const EVERY_MS = 15_000;

/** This stack's name and the other running stacks of this user (GET /v1/stacks); undefined until read or without it. */
export function useStacks(): StacksView | undefined {
  const [view, setView] = useState<StacksView>();
  useEffect(() => {
    let live = true;
    const read = async () => {
      try {
        const response = await controlFetch("/v1/stacks");
        if (!response.ok) return;
        const answer = await readAnswer(response, stacksViewSchema, "a stack list");
        if (live) setView(answer);
      } catch {
        // no control API (Vite started by hand) or an answer of another shape: the page keeps the plain title
      }
    };
    void read();
    const timer = setInterval(() => void read(), EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return view;
}

/** How the summary names a stack: its folder, with its branch. */
export function stackLabel(stack: { name: string; branch?: string }): string {
  return stack.branch ? `${stack.name} (${stack.branch})` : stack.name;
}
