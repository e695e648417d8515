import { type ReactNode, useId, useState } from 'react';
import { GLOSSARY, type TermKey } from './glossary.ts';

/**
 * A term where it first appears: a button that shows its definition right after it (by click,
 * tap or keyboard; hover is not needed), and says where the glossary is.
 */
export function Term({ name, children }: { name: TermKey; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const entry = GLOSSARY[name];
  return (
    <>
      <button type="button" className="term" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} data-term={name}>
        {children ?? entry.term}
      </button>
      <span id={id} className="definition" role="note" hidden={!open} data-testid={`definition-${name}`}>
        <strong>{entry.term}:</strong> {entry.definition}
      </span>
    </>
  );
}

/** Every term of the lesson with its definition, in reading order. */
export function Glossary() {
  return (
    <section className="lesson-chapter glossary" id="glossary" aria-labelledby="glossary-title" data-testid="glossary">
      <h2 id="glossary-title">Glossary</h2>
      <dl>
        {(Object.keys(GLOSSARY) as TermKey[]).map((key) => (
          <div key={key}>
            <dt>{GLOSSARY[key].term}</dt>
            <dd>{GLOSSARY[key].definition}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
