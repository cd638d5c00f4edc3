// Draws a report's charts with uPlot: every figure of class "chart" holds its chart as JSON (LineChart.java writes it:
// title, x axis and values, y axes, series with one value per x, null where none). Inlined into report.html after
// uPlot itself, so the page needs no internet. Plain script, no build step.
(function () {
  'use strict';

  const HEIGHT = 300;
  const AXIS = '#555';
  const GRID = '#e6e6e6';

  // ---- numbers: short on the axes (12k, 1.5 ms), exact in the legend (12,345/s, 1,500 µs) ------------------

  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  // 10 and up without decimals, below that with one, and no ".0".
  function trim(v) {
    const s = Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1);
    return s.endsWith('.0') ? s.slice(0, -2) : s;
  }

  function compact(v) {
    const a = Math.abs(v);
    return a >= 1e6 ? trim(v / 1e6) + 'M' : a >= 1e3 ? trim(v / 1e3) + 'k' : trim(v);
  }

  function duration(micros) {
    const a = Math.abs(micros);
    return a >= 1e6 ? trim(micros / 1e6) + ' s' : a >= 1e3 ? trim(micros / 1e3) + ' ms' : trim(micros) + ' µs';
  }

  // 50, 99.9, 99.99: no trailing zeros, nor the float noise of converting back from the nines scale.
  function percentile(p) {
    return String(Number(p.toFixed(4)));
  }

  // Percentiles on a "nines" scale, where 0, 90, 99, 99.9, 99.99 are equally spaced: the tail gets the room.
  const nines = (p) => -Math.log10(1 - p / 100);
  const fromNines = (t) => 100 * (1 - Math.pow(10, -t));

  // Per unit (LineChart.Unit): tick labels (short) and legend values (exact).
  const UNITS = {
    COUNT: { tick: compact, value: (v) => integer.format(v) },
    RATE: { tick: compact, value: (v) => integer.format(v) + '/s' },
    MICROS: { tick: duration, value: (v) => integer.format(v) + ' µs' },
    SECONDS: { tick: (v) => integer.format(v), value: (v) => integer.format(v) + ' s' },
    PERCENTILE: { tick: (t) => percentile(fromNines(t)), value: (t) => 'p' + percentile(fromNines(t)) },
  };

  // ---- a chart --------------------------------------------------------------------------------------------

  function isPowerOfTen(v) {
    const e = Math.log10(v);
    return Math.abs(e - Math.round(e)) < 1e-9;
  }

  function axisOptions(axis, scale, side) {
    const unit = UNITS[axis.unit];
    const options = {
      scale,
      side,
      label: axis.label,
      labelSize: 20,
      size: 56,
      stroke: AXIS,
      grid: { show: side !== 1, stroke: GRID, width: 1 },
      ticks: { stroke: GRID, width: 1 },
      values: (u, splits) => splits.map((v) => (v == null ? '' : unit.tick(v))),
    };
    if (axis.log) {
      // A log axis draws a line at every 2, 3, … 9 × 10ⁿ; keep the decades only, which are the ones labelled.
      const decades = (u, splits) => splits.map((v) => (isPowerOfTen(v) ? v : null));
      options.grid.filter = decades;
      options.ticks.filter = decades;
    }
    if (axis.unit === 'PERCENTILE') {
      // Ticks at 0, 50, 90, 99, 99.9… as far as the data goes.
      options.splits = (u, i, min, max) =>
        [0, nines(50)].concat([1, 2, 3, 4, 5, 6].filter((t) => t <= Math.ceil(max - 1e-9)));
    } else if (axis.unit === 'SECONDS') {
      options.incrs = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]; // whole seconds
    }
    return options;
  }

  function scaleOptions(axis, isX) {
    if (axis.log) {
      return { distr: 3, log: 10 };
    }
    // Counts, rates and durations start at zero, so a flat line sits at its value rather than mid-chart.
    return isX ? { time: false } : { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] };
  }

  // What a value becomes on an axis: none (null) where the axis cannot show it.
  function plotted(axis, v) {
    if (v == null) return null;
    if (axis.unit === 'PERCENTILE') return v < 100 ? nines(v) : null;
    return axis.log && v <= 0 ? null : v;
  }

  function draw(figure) {
    const chart = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
    const xs = chart.xs.map((v) => plotted(chart.x, v));
    const keep = xs.map((v, i) => i).filter((i) => xs[i] != null); // uPlot needs an x for every point
    const data = [keep.map((i) => xs[i])].concat(
      chart.series.map((s) => keep.map((i) => plotted(chart.axes[s.axis], s.ys[i])))
    );
    const scales = { x: scaleOptions(chart.x, true) };
    chart.axes.forEach((axis, i) => (scales['y' + i] = scaleOptions(axis, false)));
    const xUnit = UNITS[chart.x.unit];
    const options = {
      title: chart.title,
      width: figure.clientWidth,
      height: HEIGHT,
      // Hovering a chart shows the same x on every chart over the same axis (the same second on every card).
      cursor: { drag: { x: false, y: false }, sync: { key: chart.x.unit + ':' + chart.x.label } },
      scales,
      legend: { markers: { dash: (u, i) => (u.series[i].dash ? 'dashed' : 'solid') } },
      axes: [axisOptions(chart.x, 'x', 2)].concat(chart.axes.map((axis, i) => axisOptions(axis, 'y' + i, i ? 1 : 3))),
      series: [{ label: chart.x.label, value: (u, v) => (v == null ? '–' : xUnit.value(v)) }].concat(
        chart.series.map((s, i) => {
          const unit = UNITS[chart.axes[s.axis].unit];
          return {
            label: s.label,
            scale: 'y' + s.axis,
            stroke: s.color,
            width: 2,
            dash: s.dashed ? [5, 4] : undefined,
            // The legend reads the value given, not the one drawn.
            value: (u, v, si, idx) => {
              const given = idx == null ? null : s.ys[keep[idx]];
              return given == null ? '–' : unit.value(given);
            },
          };
        })
      ),
    };
    return new uPlot(options, data, figure);
  }

  const plots = [];
  for (const figure of document.querySelectorAll('figure.chart')) {
    try {
      plots.push({ figure, plot: draw(figure) });
    } catch (e) {
      // One bad chart says so where it should be and leaves the others drawn.
      const note = document.createElement('p');
      note.className = 'bad';
      note.textContent = 'This chart could not be drawn: ' + e;
      figure.appendChild(note);
      console.error(e);
    }
  }

  window.addEventListener('resize', () => {
    for (const { figure, plot } of plots) {
      plot.setSize({ width: figure.clientWidth, height: HEIGHT });
    }
  });
})();
