/**
 * meta/v1 Time and MicroTime helpers. In API objects both are strings: Time is RFC 3339
 * with second precision (`2006-01-02T15:04:05Z07:00`), MicroTime has six fractional
 * digits (`2006-01-02T15:04:05.000000Z07:00`); Kubernetes always writes them in UTC.
 *
 * Parsing reproduces Go's `time.Parse` with those layouts (accepted inputs, results and
 * error messages). Formatting works from epoch seconds by integer arithmetic, without
 * `Date`, because it sits on the decode path of every object (protobuf carries seconds).
 */
import { goTimeQuote, toByteString } from "../../util/go-text.js";

/** An instant as Unix seconds plus nanoseconds (0..999999999), like a protobuf Timestamp. */
export interface UnixTime {
  readonly seconds: number;
  readonly nanos: number;
}

/** Go's time.RFC3339, the layout of meta/v1 Time. */
export const RFC3339 = "2006-01-02T15:04:05Z07:00";
/** meta/v1 RFC3339Micro, the layout of MicroTime. */
export const RFC3339Micro = "2006-01-02T15:04:05.000000Z07:00";

/** Unix seconds of Go's zero time (0001-01-01T00:00:00Z), which Kubernetes encodes as null. */
export const ZERO_TIME_SECONDS = -62135596800;

/** Thrown when a string is not a valid Time/MicroTime; the message is Go's. */
export class TimeParseError extends Error {
  override readonly name = "TimeParseError" as const;
  readonly input: string;
  readonly layout: string;
  constructor(input: string, layout: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.input = input;
    this.layout = layout;
  }
}

/** Whether `err` is the TimeParseError of the Time and MicroTime parsers. */
export function isTimeParseError(err: unknown): err is TimeParseError {
  return err instanceof Error && err.name === "TimeParseError";
}

// ---- calendar arithmetic (proleptic Gregorian, any year) ------------------------------

/** Days since 1970-01-01 of a civil date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(month: number, year: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month] as number);
}

const TWO_DIGITS: string[] = [];
for (let i = 0; i < 100; i++) TWO_DIGITS.push(i < 10 ? `0${i}` : `${i}`);

/** Go's appendInt(year, 4): zero-padded to four digits, with a leading '-' for negative years. */
function formatYear(year: number): string {
  if (year >= 1000 && year <= 9999) return `${year}`;
  const neg = year < 0;
  let s = `${neg ? -year : year}`;
  if (s.length < 4) s = "0".repeat(4 - s.length) + s;
  return neg ? `-${s}` : s;
}

// Objects decoded together usually share a day: remember the last date prefix.
let lastDays = NaN;
let lastPrefix = "";

/** "YYYY-MM-DDTHH:MM:SS" of Unix seconds (integer) in UTC. */
function formatDateTime(sec: number): string {
  const days = Math.floor(sec / 86400);
  let rem = sec - days * 86400;
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const min = Math.floor(rem / 60);
  const s = rem - min * 60;
  if (days !== lastDays) {
    lastPrefix = formatDate(days);
    lastDays = days;
  }
  return `${lastPrefix}${TWO_DIGITS[hour]}:${TWO_DIGITS[min]}:${TWO_DIGITS[s]}`;
}

/** "YYYY-MM-DDT" of a day number (days since 1970-01-01). */
function formatDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${formatYear(year)}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
}

// ---- formatting -----------------------------------------------------------------------

/**
 * Format Unix seconds as a meta/v1 Time (RFC 3339, UTC, e.g. "2024-01-02T03:04:05Z"), as
 * Go's `t.UTC().Format(time.RFC3339)`. A fractional input is truncated toward the past.
 */
export function formatTimeSeconds(seconds: number): string {
  return `${formatDateTime(Math.floor(seconds))}Z`;
}

/**
 * Format Unix seconds plus nanoseconds as a meta/v1 MicroTime
 * (e.g. "2024-01-02T03:04:05.123456Z"); nanoseconds are truncated to microseconds as Go does.
 */
export function formatMicroTime(seconds: number, nanos = 0): string {
  let sec = Math.floor(seconds);
  let ns = Math.round((seconds - sec) * 1e9) + nanos;
  if (ns < 0 || ns >= 1e9) {
    const carry = Math.floor(ns / 1e9);
    sec += carry;
    ns -= carry * 1e9;
  }
  const micros = Math.floor(ns / 1000);
  return `${formatDateTime(sec)}.${String(micros).padStart(6, "0")}Z`;
}

function toUnixTime(t: Date | UnixTime): UnixTime {
  if (t instanceof Date) {
    const ms = t.getTime();
    if (Number.isNaN(ms)) throw new RangeError("invalid Date");
    const seconds = Math.floor(ms / 1000);
    return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
  }
  return t;
}

/** Format a Date or UnixTime as a meta/v1 Time string. */
export function formatTime(t: Date | UnixTime): string {
  return formatTimeSeconds(toUnixTime(t).seconds);
}

/** Format a Date or UnixTime as a meta/v1 MicroTime string. */
export function formatMicroTimeOf(t: Date | UnixTime): string {
  const u = toUnixTime(t);
  return formatMicroTime(u.seconds, u.nanos);
}

/** The current time as a meta/v1 Time (metav1.Now()). */
export function nowTime(): string {
  return formatTimeSeconds(Math.floor(Date.now() / 1000));
}

/** The current time as a meta/v1 MicroTime (metav1.NowMicro()); millisecond resolution. */
export function nowMicroTime(): string {
  const ms = Date.now();
  const s = Math.floor(ms / 1000);
  return formatMicroTime(s, (ms - s * 1000) * 1_000_000);
}

/** True for Go's zero time, which Kubernetes serializes as null. */
export function isZeroTime(t: UnixTime): boolean {
  return t.seconds === ZERO_TIME_SECONDS && t.nanos === 0;
}

// ---- parsing (Go's time.Parse for the two layouts) -------------------------------------

function isDigitAt(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Go's getnum: one or two digits (exactly two when fixed); -1 on failure. */
function getnum(s: string, fixed: boolean): [number, number] {
  if (!isDigitAt(s, 0)) return [-1, 0];
  if (!isDigitAt(s, 1)) {
    if (fixed) return [-1, 0];
    return [s.charCodeAt(0) - 48, 1];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), 2];
}

/** Go's internal atoi: optional sign, then only digits. undefined on error. */
function goAtoi(s: string): number | undefined {
  let neg = false;
  if (s.length > 0 && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let x = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    x = x * 10 + (c - 48);
  }
  return neg ? -x : x;
}

/** Go's parseNanoseconds: [nanos, rangeError, ok]. */
function parseNanoseconds(value: string, nbytes: number): [number, string, boolean] {
  const c = value[0];
  if (c !== "." && c !== ",") return [0, "", false];
  if (nbytes > 10) nbytes = 10;
  const ns = goAtoi(value.slice(1, nbytes));
  if (ns === undefined) return [0, "", false];
  if (ns < 0) return [0, "fractional second", true];
  return [ns * 10 ** (10 - nbytes), "", true];
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The common shapes "YYYY-MM-DDTHH:MM:SSZ" (and with ".ffffff" for MicroTime), valid and in range; else undefined. */
function parseFast(s: string, micro: boolean): UnixTime | undefined {
  const len = s.length;
  if (len !== (micro ? 27 : 20) || s.charCodeAt(len - 1) !== 90 /* Z */) return undefined;
  if (s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") return undefined;
  const y1 = d2(s, 0);
  const y2 = d2(s, 2);
  const month = d2(s, 5);
  const day = d2(s, 8);
  const hour = d2(s, 11);
  const min = d2(s, 14);
  const sec = d2(s, 17);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || min < 0 || min > 59) return undefined;
  if (sec < 0 || sec > 59) return undefined;
  const year = y1 * 100 + y2;
  if (day > daysIn(month, year)) return undefined;
  let nanos = 0;
  if (micro) {
    if (s[19] !== ".") return undefined;
    const a = d2(s, 20);
    const b = d2(s, 22);
    const c = d2(s, 24);
    if (a < 0 || b < 0 || c < 0) return undefined;
    nanos = (a * 10000 + b * 100 + c) * 1000;
  }
  return { seconds: daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec, nanos };
}

function parseLayout(input: string, micro: boolean): UnixTime {
  const fast = parseFast(input, micro);
  if (fast !== undefined) return fast;
  const layout = micro ? RFC3339Micro : RFC3339;
  const avalue = toByteString(input);
  const cannot = (layoutElem: string, valueElem: string): never => {
    throw new TimeParseError(
      input,
      layout,
      `parsing time ${goTimeQuote(avalue)} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`,
    );
  };
  const outOfRange = (message: string): never => {
    throw new TimeParseError(input, layout, `parsing time ${goTimeQuote(avalue)}${message}`);
  };
  const skip = (value: string, prefix: string): string => {
    if (value.length === 0 || value[0] !== prefix) cannot(prefix, value);
    return value.slice(1);
  };

  let value = avalue;
  // 2006
  if (value.length < 4 || !isDigitAt(value, 0)) cannot("2006", value);
  const year = goAtoi(value.slice(0, 4));
  if (year === undefined) cannot("2006", value);
  value = value.slice(4);
  // -01
  value = skip(value, "-");
  let [month, n] = getnum(value, true);
  if (month < 0) cannot("01", value);
  value = value.slice(n);
  if (month <= 0 || month > 12) outOfRange(": month out of range");
  // -02
  value = skip(value, "-");
  let day: number;
  [day, n] = getnum(value, true);
  if (day < 0) cannot("02", value);
  value = value.slice(n);
  // T15
  value = skip(value, "T");
  let hour: number;
  [hour, n] = getnum(value, false);
  if (hour < 0) cannot("15", value);
  value = value.slice(n);
  if (hour >= 24) outOfRange(": hour out of range");
  // :04
  value = skip(value, ":");
  let min: number;
  [min, n] = getnum(value, true);
  if (min < 0) cannot("04", value);
  value = value.slice(n);
  if (min >= 60) outOfRange(": minute out of range");
  // :05
  value = skip(value, ":");
  let sec: number;
  [sec, n] = getnum(value, true);
  if (sec < 0) cannot("05", value);
  const holdSec = value;
  value = value.slice(n);
  if (sec >= 60) outOfRange(": second out of range");
  let nsec = 0;
  if (!micro && value.length >= 2 && (value[0] === "." || value[0] === ",") && isDigitAt(value, 1)) {
    let k = 2;
    while (k < value.length && isDigitAt(value, k)) k++;
    const [ns, rangeErr, ok] = parseNanoseconds(value, k);
    value = value.slice(k);
    if (rangeErr !== "") outOfRange(`: ${rangeErr} out of range`);
    if (!ok) cannot("05", holdSec);
    nsec = ns;
  }
  // .000000
  if (micro) {
    const hold = value;
    if (value.length < 7) cannot(".000000", hold);
    const [ns, rangeErr, ok] = parseNanoseconds(value, 7);
    value = value.slice(7);
    if (rangeErr !== "") outOfRange(`: ${rangeErr} out of range`);
    if (!ok) cannot(".000000", hold);
    nsec = ns;
  }
  // Z07:00
  let offset = 0;
  {
    const hold = value;
    if (value.length >= 1 && value[0] === "Z") {
      value = value.slice(1);
    } else {
      if (value.length < 6 || value[3] !== ":") cannot("Z07:00", hold);
      const sign = value[0];
      const hh = value.slice(1, 3);
      const mm = value.slice(4, 6);
      value = value.slice(6);
      let bad = false;
      let hr = 0;
      let mi = 0;
      [hr] = getnum(hh, true);
      if (hr < 0) {
        hr = 0;
        bad = true;
      } else {
        [mi] = getnum(mm, true);
        if (mi < 0) {
          mi = 0;
          bad = true;
        }
      }
      let rangeErr = "";
      if (hr > 24) rangeErr = "time zone offset hour";
      if (mi > 60) rangeErr = "time zone offset minute";
      offset = (hr * 60 + mi) * 60;
      if (sign === "-") offset = -offset;
      else if (sign !== "+") bad = true;
      if (rangeErr !== "") outOfRange(`: ${rangeErr} out of range`);
      if (bad) cannot("Z07:00", hold);
    }
  }
  if (value.length !== 0) outOfRange(`: extra text: ${goTimeQuote(value)}`);
  if (day < 1 || day > daysIn(month, year as number)) outOfRange(": day out of range");

  const seconds = daysFromCivil(year as number, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
  return { seconds, nanos: nsec };
}

/** Parse a meta/v1 Time string as Go's `time.Parse(time.RFC3339, s)`. Throws TimeParseError. */
export function parseTime(s: string): UnixTime {
  return parseLayout(s, false);
}

/** Parse a meta/v1 MicroTime string as Go's `time.Parse(RFC3339Micro, s)`. Throws TimeParseError. */
export function parseMicroTime(s: string): UnixTime {
  return parseLayout(s, true);
}

/** Parse a Time or MicroTime string (RFC 3339, any fraction) into a Date (millisecond precision). */
export function timeToDate(s: string): Date {
  const t = parseLayout(s, false);
  return new Date(t.seconds * 1000 + Math.floor(t.nanos / 1_000_000));
}

/** Normalize any RFC 3339 time to the canonical meta/v1 Time string (UTC, seconds). */
export function canonicalTime(s: string): string {
  return formatTimeSeconds(parseLayout(s, false).seconds);
}
