import type { OtherStack } from "@zero/contracts/control";
import { stackLabel } from "../hooks/useStacks";

/** The other stacks of this user on this machine (make stacks), each with a link to its own dashboard. */
export function OtherStacks({ stacks }: { stacks: OtherStack[] }) {
  return (
    <nav aria-labelledby="other-stacks-heading" className="mt-4 text-sm" data-testid="other-stacks">
      <h2 id="other-stacks-heading" className="font-semibold">
        Other stacks on this machine
      </h2>
      <ul className="mt-1 space-y-0.5">
        {stacks.map((stack) => (
          <li key={`${stack.name}-${stack.webUrl ?? ""}`} data-testid={`other-stack-${stack.name}`}>
            {stack.webUrl ? (
              <a href={stack.webUrl} className="font-medium underline">
                {stackLabel(stack)}
              </a>
            ) : (
              <span className="font-medium">{stackLabel(stack)}</span>
            )}{" "}
            <span className="text-slate-600 dark:text-slate-400">
              {stack.runtime} · {stack.profile} · {stack.state}
              {!stack.webUrl && " · no dashboard"}
            </span>
          </li>
        ))}
      </ul>
    </nav>
  );
}
