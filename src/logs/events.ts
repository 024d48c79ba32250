import type {LogLine} from './line.js';

/** A line on its way to the user: the pod's short label and the parsed timestamp with it. */
export interface LogEntry extends LogLine {
  /** podLabel, with "/container" when more than one container is shown. */
  label: string;
  /** normaliseStamp(time), for ordering. */
  stamp?: string;
}

/** What else the user is told while lines stream: on stderr, and gaps in --json too. */
export type LogEvent =
  | {event: 'following'; pods: string[]; containers: string[]}
  /** The labels lines will carry (so that they can be aligned); not shown. */
  | {event: 'labels'; labels: string[]}
  | {event: 'joined'; pod: string; label: string; node?: string}
  | {event: 'left'; pod: string; label: string; reason: string}
  | {event: 'restarted'; pod: string; label: string; container: string; restarts: number}
  | {event: 'reconnecting'; pod: string; label: string; container: string; reason: string; attempt: number}
  | {event: 'gap'; pod: string; label: string; container: string; after?: string; before?: string; reason: string}
  | {event: 'skipped'; pod: string; label: string; container: string; reason: string}
  /** Text in a log stream that is not a log line (the node's error message). */
  | {event: 'notice'; pod: string; label: string; container: string; message: string};

/** Where the service delivers: src/ui formats and writes. `line` resolving means the line is out (back-pressure). */
export interface LogSink {
  line(entry: LogEntry): void | Promise<void>;
  event(event: LogEvent): void;
}
