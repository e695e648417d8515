import { useAppStore } from './store-context.tsx';

/** Says what was wrong with the link the page was opened with, and what was used instead. */
export function LinkProblems() {
  const problems = useAppStore((s) => s.linkProblems);
  const dismiss = useAppStore((s) => s.dismissLinkProblems);
  if (problems.length === 0) return null;
  return (
    <div className="link-problems" role="alert" data-testid="link-problems">
      <strong>Parts of this link could not be used:</strong>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
