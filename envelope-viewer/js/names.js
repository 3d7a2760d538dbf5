// A sender chooses attachment names; a download must never get a name that escapes the download folder,
// hides its real extension, or is reserved by an operating system.

const CONTROL_AND_BIDI = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const RESERVED_CHARS = /[\\/:*?"<>|]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_LENGTH = 150;

/** Returns a file name safe to offer as a download name on Windows, macOS, Linux, Android and iOS. */
export function sanitizeFileName(name, fallback = 'attachment') {
  let s = typeof name === 'string' ? name.normalize('NFC') : '';
  s = s.replace(CONTROL_AND_BIDI, '').replace(RESERVED_CHARS, '_');
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (WINDOWS_DEVICE.test(s)) s = '_' + s;
  if (s.length > MAX_LENGTH) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = Array.from(s.slice(0, s.length - ext.length)).slice(0, MAX_LENGTH - ext.length).join('') + ext;
  }
  return s.length > 0 ? s : fallback;
}
