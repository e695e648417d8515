/** The colour scheme the reader chose: follow the system, or always light or dark. */
export type Theme = 'system' | 'light' | 'dark';

const KEY = 'lmc-lab-theme';

/** The scheme saved in this browser ('system' when none, or when storage is blocked). */
export function savedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Applies `theme` to the page (the stylesheet reads `data-theme`) and saves it where the browser allows. */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  try {
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Storage blocked (private mode): the choice lasts until the page closes.
  }
}
