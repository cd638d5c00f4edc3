// Switchboard live dashboard: reads /dashboard/events (one JSON snapshot a second, see DashboardSnapshot.java),
// keeps the last five minutes in memory and draws them with uPlot. Plain script, no build step, no internet.
(function () {
  'use strict';

  const WINDOW_SECONDS = 5 * 60;
  const CHART_HEIGHT = 260;
  const STALE_MS = 5000; // no event for this long on a "live" stream: assume it is dead and reconnect
  const RETRY_MS = 3000; // wait before reopening a stream the browser gave up on

  const THEME = { axis: '#8b949e', grid: 'rgba(139,148,158,0.15)' };

  // One column per plotted quantity; column t holds the x values (unix seconds, what uPlot expects for time).
  // Columns are trimmed in place, so the arrays the charts hold stay the same objects.
  const columns = {
    t: [],
    acceptedRate: [],
    deliveredRate: [],
    p50: [],
    p99: [],
    p999: [],
    connections: [],
    sessions: [],
    queued: [],
    refusalsRate: [],
  };

  const CHARTS = [
    {
      id: 'chart-throughput',
      series: [
        { label: 'accepted/s', column: 'acceptedRate', stroke: '#58a6ff', fill: 'rgba(88,166,255,0.12)' },
        { label: 'delivered/s', column: 'deliveredRate', stroke: '#3fb950' },
      ],
    },
    {
      id: 'chart-latency',
      format: duration,
      // Percentiles span orders of magnitude (a few µs to several ms): a log scale keeps p50 visible.
      // Log scales cannot show 0, and a percentile under 1 µs arrives as 0, so it is drawn at 1 µs.
      scale: { distr: 3, log: 10 },
      floor: 1,
      decades: true, // grid lines and ticks at 1 µs, 10 µs, 100 µs… only
      series: [
        { label: 'p50', column: 'p50', stroke: '#a371f7' },
        { label: 'p99', column: 'p99', stroke: '#f0883e' },
        { label: 'p99.9', column: 'p999', stroke: '#f85149' },
      ],
    },
    {
      id: 'chart-connections',
      series: [
        { label: 'connections', column: 'connections', stroke: '#58a6ff' },
        { label: 'sessions', column: 'sessions', stroke: '#d2a8ff', dash: [6, 4] },
      ],
    },
    {
      id: 'chart-queue',
      series: [
        { label: 'queued', column: 'queued', stroke: '#d29922', fill: 'rgba(210,153,34,0.12)' },
        { label: 'inbox refusals/s', column: 'refusalsRate', stroke: '#f85149', scale: 'rate' },
      ],
    },
  ];

  // ---- formatting -------------------------------------------------------------------------------------------

  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

  function compact(value) {
    return value == null || Number.isNaN(value) ? '–' : compactFormat.format(value);
  }

  function whole(value) {
    return value == null || Number.isNaN(value) ? '–' : integer.format(value);
  }

  // Command latency arrives in whole microseconds: below a millisecond as µs, above it as ms.
  function duration(micros) {
    if (micros == null || Number.isNaN(micros)) return '–';
    if (micros < 1) return '<1 µs';
    if (micros < 1000) return integer.format(micros) + ' µs';
    return oneDecimal.format(micros / 1000) + ' ms';
  }

  function isPowerOfTen(value) {
    const exponent = Math.log10(value);
    return Math.abs(exponent - Math.round(exponent)) < 1e-9;
  }

  function clock(seconds) {
    return new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });
  }

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  // ---- charts -----------------------------------------------------------------------------------------------

  function axis(format, extra) {
    return Object.assign(
      {
        stroke: THEME.axis,
        grid: { stroke: THEME.grid, width: 1 },
        ticks: { stroke: THEME.grid, width: 1 },
        values: (u, ticks) => ticks.map((v) => (v == null ? '' : format(v))), // null: a split left unlabelled
        size: 60,
      },
      extra
    );
  }

  // A log axis draws a line at every 2, 3, … 9 × 10ⁿ; keep only the decades, which uPlot labels.
  const decades = (u, splits) => splits.map((v) => (isPowerOfTen(v) ? v : null));
  const decadeGrid = {
    grid: { stroke: THEME.grid, width: 1, filter: decades },
    ticks: { stroke: THEME.grid, width: 1, filter: decades },
  };

  // Counts and rates start at zero, so a flat line of zeros sits at the bottom rather than mid-chart.
  const fromZero = { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] };

  function chartWidth(element) {
    return Math.max(200, element.clientWidth);
  }

  function createChart(spec) {
    const element = document.getElementById(spec.id);
    const format = spec.format || compact;
    const rightScale = spec.series.find((s) => s.scale);
    const opts = {
      width: chartWidth(element),
      height: CHART_HEIGHT,
      // Hovering one chart shows the same second on all of them.
      cursor: { drag: { x: false, y: false }, sync: { key: 'switchboard' } },
      scales: { x: { time: true }, y: spec.scale || fromZero, rate: fromZero },
      axes: [
        axis(clock, { space: 70, size: 36 }),
        axis(format, spec.decades ? decadeGrid : {}),
      ].concat(rightScale ? [axis(compact, { scale: rightScale.scale, side: 1, grid: { show: false } })] : []),
      series: [{ label: 'time', value: (u, v) => (v == null ? '–' : clock(v)) }].concat(
        spec.series.map((s) => ({
          label: s.label,
          scale: s.scale || 'y',
          stroke: s.stroke,
          fill: s.fill,
          dash: s.dash,
          width: 2,
          points: { show: false },
          // The legend reads the sample itself, not the value drawn (which a floor may have raised).
          value: (u, v, seriesIdx, idx) => (spec.format || whole)(idx == null ? v : columns[s.column][idx]),
        }))
      ),
    };
    const data = [columns.t].concat(spec.series.map((s) => columns[s.column]));
    return { spec, element, data, plot: new uPlot(opts, plotted(spec, data), element) };
  }

  const charts = CHARTS.map(createChart);

  // The data a chart draws: its columns, or copies raised to the chart's floor where it has one.
  function plotted(spec, data) {
    if (!spec.floor) return data;
    return data.map((column, i) => (i === 0 ? column : column.map((v) => (v == null ? v : Math.max(spec.floor, v)))));
  }

  // How many samples a chart holds that have at least one value to draw (tests read this as data-points).
  function pointsIn(chart) {
    let points = 0;
    for (let i = 0; i < columns.t.length; i++) {
      if (chart.spec.series.some((s) => columns[s.column][i] != null)) {
        points++;
      }
    }
    return points;
  }

  function redraw() {
    for (const chart of charts) {
      const plot = chart.plot;
      plot.setData(plotted(chart.spec, chart.data));
      // Unless the pointer is on the chart, its legend reads out the latest sample.
      if (plot.cursor.left == null || plot.cursor.left < 0) {
        plot.setLegend({ idx: columns.t.length - 1 });
      }
      chart.element.setAttribute('data-points', String(pointsIn(chart)));
    }
  }

  let resizePending = false;
  window.addEventListener('resize', () => {
    if (resizePending) return;
    resizePending = true;
    requestAnimationFrame(() => {
      resizePending = false;
      for (const chart of charts) {
        chart.plot.setSize({ width: chartWidth(chart.element), height: CHART_HEIGHT });
      }
    });
  });

  // ---- snapshots --------------------------------------------------------------------------------------------

  let previous = null; // the last snapshot of the current stream: rates are differences between consecutive ones
  let firstOfStream = true;

  function add(snapshot) {
    const seconds = (snapshot.ts - (previous ? previous.ts : snapshot.ts)) / 1000;
    // A rate needs two snapshots of the same stream; a total that went down means the server restarted.
    const rate = (key) =>
      previous && seconds > 0 && snapshot[key] >= previous[key] ? (snapshot[key] - previous[key]) / seconds : null;
    // The first snapshot of every stream covers all commands since the server started, not the last second
    // (each stream keeps its own previous histogram), and a second with no commands has no percentiles: gaps.
    const latency = snapshot.commandMicros;
    const timed = !firstOfStream && latency && latency.count > 0;

    const row = {
      t: snapshot.ts / 1000,
      acceptedRate: rate('accepted'),
      deliveredRate: rate('delivered'),
      p50: timed ? latency.p50 : null,
      p99: timed ? latency.p99 : null,
      p999: timed ? latency.p999 : null,
      connections: snapshot.connections,
      sessions: snapshot.sessions,
      queued: snapshot.queued,
      refusalsRate: rate('inboxRefusals'),
    };
    for (const key in columns) {
      columns[key].push(row[key]);
    }
    const oldest = row.t - WINDOW_SECONDS;
    while (columns.t.length > 0 && columns.t[0] < oldest) {
      for (const key in columns) {
        columns[key].shift();
      }
    }
    previous = snapshot;
    firstOfStream = false;

    showNow(snapshot, row);
    redraw();
  }

  function showNow(snapshot, row) {
    text('routing', snapshot.routing);
    text('updated', new Date(snapshot.ts).toLocaleTimeString());
    text('now-accepted', compact(row.acceptedRate));
    text('now-delivered', compact(row.deliveredRate));
    text('now-p99', duration(row.p99));
    text('now-connections', whole(snapshot.connections));
    text('now-sessions', whole(snapshot.sessions));
    text('now-queued', whole(snapshot.queued));
    text('now-refusals', compact(row.refusalsRate));
    text('total-accepted', whole(snapshot.accepted));
    text('total-delivered', whole(snapshot.delivered));
    text('total-acknowledged', whole(snapshot.acknowledged));
    text('total-receipts', whole(snapshot.receipts));
    text('total-rejected', whole(snapshot.rejected));
    text('total-refusals', whole(snapshot.inboxRefusals));
  }

  // ---- the stream -------------------------------------------------------------------------------------------

  const status = document.getElementById('status');
  let source = null;
  let lastEventAt = 0;

  function setStatus(state) {
    status.dataset.state = state;
    status.textContent = state;
  }

  function connect() {
    lastEventAt = Date.now();
    source = new EventSource('/dashboard/events');
    // Every open is a new stream, also when the browser reconnected by itself: the server starts a fresh
    // snapshot feed, and rates across the gap would average over it. Start again from the next two snapshots.
    source.onopen = () => {
      previous = null;
      firstOfStream = true;
      setStatus('live');
    };
    source.onmessage = (event) => {
      lastEventAt = Date.now();
      setStatus('live');
      add(JSON.parse(event.data));
    };
    source.onerror = () => {
      // The browser retries by itself while readyState is CONNECTING (a dropped stream); CLOSED means it gave
      // up (an HTTP error, e.g. metrics turned off or the server restarting): retry ourselves.
      setStatus('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        reconnectSoon();
      }
    };
  }

  function reconnectSoon() {
    source.close();
    setTimeout(connect, RETRY_MS);
  }

  // A stream can die without an error (a half-open connection): no snapshot for a while means reconnect.
  setInterval(() => {
    if (status.dataset.state === 'live' && Date.now() - lastEventAt > STALE_MS) {
      setStatus('reconnecting');
      source.onerror = null;
      reconnectSoon();
    }
  }, 1000);

  connect();
})();
