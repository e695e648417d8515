import { useState } from 'react';
import { type Theme, applyTheme, savedTheme } from './theme.ts';

/** Chooses the colour scheme: the system's (prefers-color-scheme), light or dark; charts follow. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(savedTheme);
  return (
    <label className="theme-toggle">
      Colours{' '}
      <select
        data-testid="theme"
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        <option value="system">as the system</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  );
}
