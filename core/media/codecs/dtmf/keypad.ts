// The DTMF keypad (ITU-T Q.23): each key is one low-group (row) plus one high-group (column) frequency.

export const DTMF_ROW_HZ: readonly number[] = [697, 770, 852, 941];
export const DTMF_COL_HZ: readonly number[] = [1209, 1336, 1477, 1633];

/** KEYPAD[row][col]. */
export const KEYPAD: readonly string[] = ['123A', '456B', '789C', '*0#D'];

/** [low Hz, high Hz] for a key ('0'-'9', '*', '#', 'A'-'D', any case), undefined otherwise. */
export function dtmfFrequencies(digit: string): readonly [number, number] | undefined {
  if (digit.length !== 1) return undefined;
  const key = digit.toUpperCase();
  for (let r = 0; r < KEYPAD.length; r++) {
    const c = KEYPAD[r]!.indexOf(key);
    if (c >= 0) return [DTMF_ROW_HZ[r]!, DTMF_COL_HZ[c]!];
  }
  return undefined;
}
