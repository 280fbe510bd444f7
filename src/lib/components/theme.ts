/** Light or dark page theme, remembered in localStorage; light unless the user chose dark. */
export type Theme = 'light' | 'dark';

const THEME_KEY = 'backprop-studio.theme';

export function loadTheme(): Theme {
  try {
    return localStorage.getItem(THEME_KEY) === 'dark' ? 'dark' : 'light';
  } catch {
    return 'light';
  }
}

export function saveTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not remembering the theme is harmless.
  }
}
