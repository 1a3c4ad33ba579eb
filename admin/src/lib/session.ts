/** The admin key lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie. */
const KEY = 'ordo.adminKey';

export const readKey = (): string | null => {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
};
export const saveKey = (key: string) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);
