// Where things are, in one place: the pages link to these and the routes are mounted on them.
export const BASE = '/voicemail';
export const API = `${BASE}/api`;

const id = (s: string) => encodeURIComponent(s);

export const paths = {
  login: `${BASE}/login`,
  logout: `${BASE}/logout`,
  inbox: BASE,
  greetings: `${BASE}/greetings`,
  pin: `${BASE}/pin`,
  message: (m: string) => `${BASE}/messages/${id(m)}`,
  audio: (m: string) => `${BASE}/messages/${id(m)}/audio`,
  download: (m: string) => `${BASE}/messages/${id(m)}/download`,
  greeting: (kind: string) => `${BASE}/greetings/${kind}`,
  greetingAudio: (kind: string) => `${BASE}/greetings/${kind}/audio`,
};

export const apiPaths = {
  message: (m: string) => `${API}/messages/${id(m)}`,
  heard: (m: string) => `${API}/messages/${id(m)}/heard`,
  audio: (m: string) => `${API}/messages/${id(m)}/audio`,
  download: (m: string) => `${API}/messages/${id(m)}/download`,
  greeting: (kind: string) => `${API}/greetings/${kind}`,
  greetingAudio: (kind: string) => `${API}/greetings/${kind}/audio`,
};

export function isApiPath(path: string): boolean {
  return path === API || path.startsWith(`${API}/`);
}
