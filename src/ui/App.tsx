import { usesCifar } from '../core/models/model.ts';
import { CifarPanel } from './CifarPanel.tsx';
import { Lesson, PAPER_URL } from './lesson/Lesson.tsx';
import { CompareView } from './CompareView.tsx';
import { LinkProblems } from './LinkProblems.tsx';
import { ResultsView } from './ResultsView.tsx';
import { RunControls } from './RunControls.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { StoredRuns } from './StoredRuns.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { useAppStore } from './store-context.tsx';
import { LESSON_HASH } from './url-sync.ts';

/** The whole page: the lesson (a plain link) or the lab (any other link: header, link problems, settings beside the run and its charts). */
export function App() {
  const view = useAppStore((s) => s.view);
  return view === 'lesson' ? <Lesson /> : <Lab />;
}

/** The lab: every setting, the run and its charts. */
function Lab() {
  const needsCifar = useAppStore((s) => usesCifar(s.config.model));
  return (
    <div className="app">
      <header>
        <ThemeToggle />
        <h1>LMC Lab</h1>
        <p>
          Linear mode connectivity and the lottery ticket hypothesis (Frankle et al., 2020): train two copies of a network from step k with different SGD noise,
          then walk the straight line between them.{' '}
          <a href={LESSON_HASH} data-testid="open-lesson">
            New here? Read the lesson
          </a>{' '}
          ·{' '}
          <a href={PAPER_URL} target="_blank" rel="noopener noreferrer">
            the paper
          </a>
        </p>
      </header>
      <LinkProblems />
      <main>
        <SettingsPanel />
        <div className="main-column">
          {needsCifar && <CifarPanel />}
          <RunControls />
          <ResultsView />
          {/* Below the charts, so that they stay in place while the list changes during a run. */}
          <StoredRuns />
          <CompareView />
        </div>
      </main>
      <footer>MNIST © Yann LeCun and Corinna Cortes, CC BY-SA 3.0. CIFAR-10: Krizhevsky, 2009. Training runs in a Web Worker in this browser.</footer>
    </div>
  );
}
