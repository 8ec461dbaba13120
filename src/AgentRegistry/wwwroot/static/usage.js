// Usage charts: one bar chart per metric with uPlot (vendored, see vendor/README.md). The numbers are also in the
// figure captions and the table beside them; the charts are a picture of the same data.
(() => {
  'use strict';
  if (typeof window.uPlot === 'undefined') return;
  const uPlot = window.uPlot;
  for (const figure of document.querySelectorAll('figure.chart')) {
    const area = figure.querySelector('.chart-area');
    const days = figure.dataset.days.split(',').map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const values = figure.dataset.values.split(',').map(Number);
    const width = () => Math.max(240, area.clientWidth);
    const chart = new uPlot({
      width: width(),
      height: 200,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: '#374151', grid: { stroke: '#e5e7eb' } },
        { stroke: '#374151', grid: { stroke: '#e5e7eb' } },
      ],
      series: [
        {},
        { label: figure.dataset.label, stroke: '#1d4ed8', fill: 'rgba(29, 78, 216, 0.35)', width: 1, paths: uPlot.paths.bars({ size: [0.7, 40] }) },
      ],
    }, [days, values], area);
    figure.dataset.drawn = 'true';
    new ResizeObserver(() => chart.setSize({ width: width(), height: 200 })).observe(area);
  }
})();
