import { useEffect } from 'react';
import { ThemeToggle } from '../ThemeToggle.tsx';
import { useAppStore } from '../store-context.tsx';
import { labHash } from '../url-sync.ts';
import { ChapterExperiment, ChapterLenet, ChapterResnet } from './chapters-instability.tsx';
import { ChapterRewinding, ChapterYourTurn } from './chapters-rewinding.tsx';
import { ChapterTickets } from './chapters-tickets.tsx';
import { Glossary } from './Term.tsx';

/** The paper, where a reader can read it (an ordinary link: the app itself fetches nothing from elsewhere). */
export const PAPER_URL = 'https://arxiv.org/abs/1912.05671';

/** The chapters in reading order: the id of their section and their short title for the contents. */
const CONTENTS = [
  { id: 'experiment', title: 'The experiment' },
  { id: 'lenet', title: 'LeNet is stable from the start' },
  { id: 'resnet', title: 'ResNet-20 is not, until a little training' },
  { id: 'tickets', title: 'Lottery tickets' },
  { id: 'rewinding', title: 'Rewinding makes tickets of larger networks work' },
  { id: 'your-turn', title: 'Your turn' },
  { id: 'glossary', title: 'Glossary' },
] as const;

/** Scrolls to a section without touching the address bar (its hash names the page: lesson or lab). */
function goTo(id: string): void {
  document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

/**
 * The guided lesson, what a plain link opens: the paper's argument in six chapters, each a figure
 * from a bundled run beside its explanation, the paper's numbers, and a run to try.
 */
export function Lesson() {
  const config = useAppStore((s) => s.config);
  const preset = useAppStore((s) => s.preset);
  const checkCifar = useAppStore((s) => s.checkCifar);
  useEffect(checkCifar, [checkCifar]);
  return (
    <div className="app lesson" data-testid="lesson">
      <header>
        <ThemeToggle />
        <h1>Linear mode connectivity and the lottery ticket hypothesis</h1>
        <p>
          A guided lesson on the paper by Frankle, Dziugaite, Roy and Carbin (ICML 2020),{' '}
          <a href={PAPER_URL} target="_blank" rel="noopener noreferrer">
            read it on arXiv
          </a>
          . About 20 minutes to read; every figure is a real run, and every chapter can be run again in this browser.
        </p>
        <nav aria-label="Chapters" className="contents">
          <ol>
            {CONTENTS.map((c) => (
              <li key={c.id}>
                <button type="button" className="link-button" onClick={() => goTo(c.id)}>
                  {c.title}
                </button>
              </li>
            ))}
          </ol>
          <a className="to-lab" href={labHash(config, preset)} data-testid="open-lab">
            Open the lab (every setting) →
          </a>
        </nav>
      </header>
      <main className="lesson-main">
        <ChapterExperiment />
        <ChapterLenet />
        <ChapterResnet />
        <ChapterTickets />
        <ChapterRewinding />
        <ChapterYourTurn />
        <Glossary />
      </main>
      <footer>MNIST © Yann LeCun and Corinna Cortes, CC BY-SA 3.0. CIFAR-10: Krizhevsky, 2009. Training runs in a Web Worker in this browser.</footer>
    </div>
  );
}
