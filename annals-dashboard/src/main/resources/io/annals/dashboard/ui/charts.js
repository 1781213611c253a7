// A small line chart on a canvas: time on x, one or more series on y. Hand-written rather than a
// vendored library because the dashboard needs only this.

const COLORS = ['#1f5fa8', '#c0392b', '#2e8b57', '#9a6200'];

/** Draws series = [{name, points: [[epochMillis, value|null], ...]}] on canvas; unit labels the y axis. */
export function lineChart(canvas, series, unit) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 400;
  const height = canvas.clientHeight || 200;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';

  const points = series.flatMap(s => s.points).filter(p => p[1] !== null && Number.isFinite(p[1]));
  const left = 48, right = 8, top = 20, bottom = 20;
  const plotW = width - left - right, plotH = height - top - bottom;
  if (points.length === 0) {
    g.fillStyle = '#5d6778';
    g.fillText('no samples yet', left + 8, top + plotH / 2);
    return;
  }
  // time spans every sample, also those where a series has no value
  const times = series.flatMap(s => s.points.map(p => p[0]));
  const t0 = Math.min(...times);
  const t1 = Math.max(t0 + 1000, ...times);
  const yMax = niceCeiling(Math.max(...points.map(p => p[1])));
  const x = t => left + (t - t0) / (t1 - t0) * plotW;
  const y = v => top + plotH - v / yMax * plotH;

  g.strokeStyle = '#e4e8ee';
  g.fillStyle = '#5d6778';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = yMax * i / 4;
    g.beginPath();
    g.moveTo(left, y(v));
    g.lineTo(width - right, y(v));
    g.stroke();
    g.fillText(format(v), 4, y(v) + 4);
  }
  g.fillText(unit, 4, 12);
  const minutes = (t1 - t0) / 60000;
  g.fillText(minutes >= 1 ? `last ${minutes.toFixed(1)} min` : `last ${Math.round((t1 - t0) / 1000)} s`,
    width - right - 80, height - 4);

  let legend = left + 30;
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    g.strokeStyle = color;
    g.lineWidth = 1.8;
    g.beginPath();
    let drawing = false;
    for (const [t, v] of s.points) {
      if (v === null || !Number.isFinite(v)) {
        drawing = false;
        continue;
      }
      if (drawing) {
        g.lineTo(x(t), y(v));
      } else {
        g.moveTo(x(t), y(v));
        drawing = true;
      }
    }
    g.stroke();
    g.fillStyle = color;
    // a value between two gaps has no line to show it: mark it with a dot
    s.points.forEach(([t, v], k) => {
      const missing = p => !p || p[1] === null || !Number.isFinite(p[1]);
      if (!missing(s.points[k]) && missing(s.points[k - 1]) && missing(s.points[k + 1])) {
        g.beginPath();
        g.arc(x(t), y(v), 2.5, 0, 2 * Math.PI);
        g.fill();
      }
    });
    g.fillRect(legend, 6, 10, 3);
    g.fillText(s.name, legend + 14, 11);
    legend += 14 + g.measureText(s.name).width + 16;
  });
}

// the top of the axis: four steps of 1, 2 or 5 times a power of ten, so that every tick reads plainly
function niceCeiling(value) {
  if (!(value > 0)) {
    return 1;
  }
  const quarter = value / 4;
  const power = Math.pow(10, Math.floor(Math.log10(quarter)));
  for (const step of [1, 2, 5, 10]) {
    if (quarter <= step * power) {
      return 4 * step * power;
    }
  }
  return 40 * power;
}

function format(value) {
  if (value >= 1000) {
    return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)}k`;
  }
  return value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2);
}
