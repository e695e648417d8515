/** A row of toggle buttons choosing one of `options` (null = follow the latest). */
export function Picker<T extends string | number>({
  label,
  options,
  value,
  onChange,
  format = String,
  testId,
}: {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  format?: (value: T) => string;
  testId?: string;
}) {
  return (
    <div className="picker" data-testid={testId}>
      {label}{' '}
      {options.map((o) => (
        <button key={String(o)} type="button" aria-pressed={o === value} onClick={() => onChange(o)}>
          {format(o)}
        </button>
      ))}
    </div>
  );
}

/** The chosen value if it is still an option, else the fallback (usually the latest with data). */
export function pick<T>(chosen: T | null, options: readonly T[], fallback: T): T {
  return chosen !== null && options.includes(chosen) ? chosen : fallback;
}
