import type {TopResult} from '../top/read.js';
import {type ResourceFigure, formatCpu, formatMemory} from '../top/usage.js';
import {renderTable} from './table.js';

const percent = (value: number | undefined) => (value === undefined ? '-' : `${value}%`);

function cells(figure: ResourceFigure, format: (value: number) => string, wide: boolean): string[] {
  return [format(figure.used), percent(figure.ofRequest), percent(figure.ofLimit), ...(wide ? [figure.request === undefined ? '-' : format(figure.request), figure.limit === undefined ? '-' : format(figure.limit)] : [])];
}

const FIGURE_HEADERS = (wide: boolean) => ['cpu', 'cpu/req', 'cpu/lim', ...(wide ? ['cpu req', 'cpu lim'] : []), 'memory', 'mem/req', 'mem/lim', ...(wide ? ['mem req', 'mem lim'] : [])];

/** `gshift top`: per pod, then per app; or the one line that says why there are no figures. */
export function topView(result: TopResult, {wide = false}: {wide?: boolean} = {}): string {
  if (result.message) return result.message;
  const where = result.app ? `app ${result.app} in ${result.namespace}` : `namespace ${result.namespace}`;
  if (result.pods.length === 0) return `No pods with metrics in ${where} (a pod reports a minute or so after it starts).`;
  const podTable = renderTable(
    ['pod', ...(result.app ? [] : ['app']), ...FIGURE_HEADERS(wide), ...(wide ? ['node'] : [])],
    result.pods.map((pod) => [pod.pod, ...(result.app ? [] : [pod.app]), ...cells(pod.cpu, formatCpu, wide), ...cells(pod.memory, formatMemory, wide), ...(wide ? [pod.node ?? '-'] : [])]),
  );
  const appTable = renderTable(
    ['app', 'pods', ...FIGURE_HEADERS(wide)],
    result.apps.map((app) => [app.app, String(app.pods), ...cells(app.cpu, formatCpu, wide), ...cells(app.memory, formatMemory, wide)]),
  );
  return `${podTable}\n\n${appTable}`;
}
