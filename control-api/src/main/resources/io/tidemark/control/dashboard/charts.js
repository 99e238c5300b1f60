// The charts, drawn by uPlot (from its WebJar, served by the API): per applied iteration from the
// status's iteration series, and the lag over time from this page's own readings. Each chart's data
// stays readable as chart.data (the browser tests read it there).

/* global uPlot */

const LAG_READINGS = 300;

function color(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function series(label, colorName, bars) {
  const c = color(colorName);
  const s = { label, stroke: c, width: 2, fill: bars ? c + '55' : undefined, points: { show: !bars } };
  if (bars && uPlot.paths && uPlot.paths.bars) {
    s.paths = uPlot.paths.bars({ size: [0.6, 40] });
  }
  return s;
}

export class Charts {
  constructor(elements) {
    this.elements = elements; // id → element
    this.charts = {};
    this.lag = [[], []];
    window.addEventListener('resize', () => this.resize());
  }

  /** The iteration series of a status: one point per applied iteration. */
  static applied(status) {
    return (status.iterations || []).filter(i => i.status === 'APPLIED');
  }

  show(status) {
    const its = Charts.applied(status);
    const x = its.map(i => i.iteration);
    this.draw('rows', [x, its.map(i => i.upserted), its.map(i => i.deleted)],
      [series('upserted', '--chart-1', true), series('deleted', '--chart-2', true)], false);
    this.draw('time', [x, its.map(i => i.durationMs === null ? null : i.durationMs / 1000),
      its.map(i => i.applyMs === null ? null : i.applyMs / 1000)],
    [series('iteration time (s)', '--chart-1'), series('apply time (s)', '--chart-3')], false);
    this.draw('tables', [x, its.map(i => i.tablesCompleted)], [series('tables completed', '--chart-3', true)], false);
    const lag = (status.tables || []).map(t => t.lagRecords).filter(l => l !== null && l !== undefined);
    if (lag.length) {
      this.lag[0].push(Date.parse(status.at) / 1000);
      this.lag[1].push(lag.reduce((a, b) => a + b, 0));
      if (this.lag[0].length > LAG_READINGS) {
        this.lag[0].shift();
        this.lag[1].shift();
      }
    }
    this.draw('lag', this.lag, [series('records not yet applied', '--chart-2')], true);
  }

  draw(name, data, lines, time) {
    const chart = this.charts[name];
    if (chart) {
      chart.setData(data);
      return;
    }
    const element = this.elements[name];
    this.charts[name] = new uPlot({
      width: Math.max(240, element.clientWidth || 320),
      height: 180,
      // Half an iteration of room on each side (bars stay whole), a minute around a single reading.
      scales: { x: { time, range: (u, min, max) => time ? (min === max ? [min - 60, max + 60] : [min, max])
        : [min - 0.5, max + 0.5] } },
      axes: [{ stroke: color('--text'), grid: { stroke: color('--grid') }, label: time ? '' : 'iteration',
        incrs: time ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        { stroke: color('--text'), grid: { stroke: color('--grid') } }],
      series: [{ label: time ? 'time' : 'iteration' }, ...lines],
      legend: { live: false },
    }, data, element);
  }

  resize() {
    for (const [name, chart] of Object.entries(this.charts)) {
      chart.setSize({ width: Math.max(240, this.elements[name].clientWidth), height: 180 });
    }
  }
}
