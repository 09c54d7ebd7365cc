/**
 * Grey page images as the paper reader handles them (DSK-9): decoded from
 * PGM (what ImageMagick and pdftoppm write), told ink from paper by a local
 * threshold (a phone photo's light is uneven), the corner marks found, and
 * boxes cut out upright through the page's affine transform. Pure code: no
 * files, no processes.
 */
import { deflateSync } from 'node:zlib';

export interface Grey {
  w: number;
  h: number;
  /** One byte a pixel, 0 black .. 255 white, row by row. */
  data: Uint8Array;
}

/** A binary (P5) PGM, 8 bits. */
export function parsePgm(buf: Buffer): Grey {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]!))) pos++;
      if (buf[pos] === 0x23) {
        while (pos < buf.length && buf[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    return buf.toString('latin1', start, pos);
  };
  if (token() !== 'P5') throw new Error('not a binary PGM');
  const w = Number(token());
  const h = Number(token());
  const max = Number(token());
  pos++;
  if (!(w > 0 && h > 0 && max > 0 && max < 256)) throw new Error('unsupported PGM');
  const data = new Uint8Array(buf.buffer, buf.byteOffset + pos, w * h);
  if (data.length < w * h) throw new Error('short PGM');
  return { w, h, data: new Uint8Array(data) };
}

export function toPgm(img: Grey): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${img.w} ${img.h}\n255\n`, 'latin1'), Buffer.from(img.data)]);
}

/** A grey PNG of the image (the crops shown to a rep). */
export function toPng(img: Grey): Buffer {
  const raw = Buffer.alloc((img.w + 1) * img.h);
  for (let y = 0; y < img.h; y++) {
    raw[y * (img.w + 1)] = 0;
    raw.set(img.data.subarray(y * img.w, (y + 1) * img.w), y * (img.w + 1) + 1);
  }
  const chunk = (type: string, body: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.w, 0);
  ihdr.writeUInt32BE(img.h, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let CRC_TABLE: Uint32Array | undefined;
function crc32(buf: Buffer): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Ink: a pixel clearly darker than the paper around it (the mean of a window
 * about 1/16 of the page wide), so shadows and uneven light stay paper.
 */
export function inkMask(img: Grey, windows?: Array<[number, number, number, number]>): Uint8Array {
  const { w, h, data } = img;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x]!;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1]! + row;
    }
  }
  const r = Math.max(8, Math.round(Math.max(w, h) / 32));
  const mask = new Uint8Array(w * h);
  // Only where it is looked at (the corner windows), when the caller says so.
  for (const [wx0, wy0, wx1, wy1] of windows ?? [[0, 0, w, h]]) markInk(wx0, wy0, wx1, wy1);
  return mask;

  function markInk(wx0: number, wy0: number, wx1: number, wy1: number): void {
    for (let y = wy0; y < wy1; y++) {
      const y0 = Math.max(0, y - r);
      const y1 = Math.min(h, y + r + 1);
      for (let x = wx0; x < wx1; x++) {
        const x0 = Math.max(0, x - r);
        const x1 = Math.min(w, x + r + 1);
        const sum =
          integral[y1 * (w + 1) + x1]! -
          integral[y0 * (w + 1) + x1]! -
          integral[y1 * (w + 1) + x0]! +
          integral[y0 * (w + 1) + x0]!;
        const mean = sum / ((y1 - y0) * (x1 - x0));
        const v = data[y * w + x]!;
        mask[y * w + x] = v < mean * 0.72 && v < 170 ? 1 : 0;
      }
    }
  }
}

/** The corner windows findCornerMarks looks in: x0, y0, x1, y1. */
export function cornerWindows(img: Grey): Array<[number, number, number, number]> {
  const ww = Math.round(img.w * 0.2);
  const wh = Math.round(img.h * 0.16);
  return [
    [0, 0, ww, wh],
    [img.w - ww, 0, img.w, wh],
    [img.w - ww, img.h - wh, img.w, img.h],
    [0, img.h - wh, ww, img.h],
  ];
}

export interface Point {
  x: number;
  y: number;
}

interface Blob {
  cx: number;
  cy: number;
  w: number;
  h: number;
  area: number;
}

/** Connected ink blobs inside a window of the mask (4-connected, flood fill). */
function blobsIn(mask: Uint8Array, w: number, x0: number, y0: number, x1: number, y1: number): Blob[] {
  const seen = new Uint8Array((x1 - x0) * (y1 - y0));
  const out: Blob[] = [];
  const stack: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const li = (y - y0) * (x1 - x0) + (x - x0);
      if (seen[li] || !mask[y * w + x]) continue;
      let minX = x,
        maxX = x,
        minY = y,
        maxY = y,
        area = 0,
        sx = 0,
        sy = 0;
      stack.push(x, y);
      seen[li] = 1;
      while (stack.length) {
        const py = stack.pop()!;
        const px = stack.pop()!;
        area++;
        sx += px;
        sy += py;
        if (px < minX) minX = px;
        if (px > maxX) maxX = px;
        if (py < minY) minY = py;
        if (py > maxY) maxY = py;
        for (const [nx, ny] of [
          [px + 1, py],
          [px - 1, py],
          [px, py + 1],
          [px, py - 1],
        ] as const) {
          if (nx < x0 || nx >= x1 || ny < y0 || ny >= y1) continue;
          const ni = (ny - y0) * (x1 - x0) + (nx - x0);
          if (seen[ni] || !mask[ny * w + nx]) continue;
          seen[ni] = 1;
          stack.push(nx, ny);
        }
      }
      out.push({ cx: sx / area, cy: sy / area, w: maxX - minX + 1, h: maxY - minY + 1, area });
    }
  }
  return out;
}

/**
 * The centres of the four corner marks, in image order top-left, top-right,
 * bottom-right, bottom-left: in each corner window, the solid, square blob of
 * about the expected side that lies nearest the corner. Undefined when a
 * corner has none (the page cannot be placed).
 */
export function findCornerMarks(img: Grey, mask: Uint8Array, expectedSidePx: number): Point[] | undefined {
  const { w, h } = img;
  const ww = Math.round(w * 0.2);
  const wh = Math.round(h * 0.16);
  const windows: Array<[number, number, number, number, number, number]> = [
    [0, 0, ww, wh, 0, 0],
    [w - ww, 0, w, wh, w, 0],
    [w - ww, h - wh, w, h, w, h],
    [0, h - wh, ww, h, 0, h],
  ];
  const found: Point[] = [];
  for (const [x0, y0, x1, y1, cx, cy] of windows) {
    const candidates = blobsIn(mask, w, x0, y0, x1, y1).filter((b) => {
      const side = Math.sqrt(b.area);
      const squareish = b.w / b.h > 0.6 && b.w / b.h < 1.6;
      const solid = b.area / (b.w * b.h) > 0.7;
      return squareish && solid && side > expectedSidePx * 0.5 && side < expectedSidePx * 1.8;
    });
    candidates.sort((a, b) => Math.hypot(a.cx - cx, a.cy - cy) - Math.hypot(b.cx - cx, b.cy - cy));
    const best = candidates[0];
    if (!best) return undefined;
    found.push({ x: best.cx, y: best.cy });
  }
  return found;
}

/** x' = a x + b y + c, y' = d x + e y + f. */
export type Affine = [number, number, number, number, number, number];

/** The least-squares affine transform taking `from[i]` to `to[i]` (three points or more). */
export function fitAffine(from: Point[], to: Point[]): Affine {
  // Normal equations for [a b c] and [d e f] with the design matrix rows [x y 1].
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const vx = [0, 0, 0];
  const vy = [0, 0, 0];
  from.forEach((p, i) => {
    const row = [p.x, p.y, 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) m[r]![c]! += row[r]! * row[c]!;
      vx[r]! += row[r]! * to[i]!.x;
      vy[r]! += row[r]! * to[i]!.y;
    }
  });
  const [a, b, c] = solve3(m, vx);
  const [d, e, f] = solve3(m, vy);
  return [a, b, c, d, e, f];
}

function solve3(m: number[][], v: number[]): [number, number, number] {
  const det = (q: number[][]): number =>
    q[0]![0]! * (q[1]![1]! * q[2]![2]! - q[1]![2]! * q[2]![1]!) -
    q[0]![1]! * (q[1]![0]! * q[2]![2]! - q[1]![2]! * q[2]![0]!) +
    q[0]![2]! * (q[1]![0]! * q[2]![1]! - q[1]![1]! * q[2]![0]!);
  const d = det(m);
  const col = (i: number): number[][] => m.map((row, r) => row.map((x, c) => (c === i ? v[r]! : x)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

export const apply = (t: Affine, p: Point): Point => ({
  x: t[0] * p.x + t[1] * p.y + t[2],
  y: t[3] * p.x + t[4] * p.y + t[5],
});

/**
 * The page region whose top-left corner is `origin` (page points, y down),
 * `width` × `height` points, cut upright at `pxPerPt` by sampling the image
 * through `t` (page points to image pixels), bilinear.
 */
export function cut(img: Grey, t: Affine, origin: Point, width: number, height: number, pxPerPt: number): Grey {
  const w = Math.max(1, Math.round(width * pxPerPt));
  const h = Math.max(1, Math.round(height * pxPerPt));
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = apply(t, { x: origin.x + (x + 0.5) / pxPerPt, y: origin.y + (y + 0.5) / pxPerPt });
      data[y * w + x] = sample(img, p.x - 0.5, p.y - 0.5);
    }
  }
  return { w, h, data };
}

function sample(img: Grey, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < 0 || y0 < 0 || x0 + 1 >= img.w || y0 + 1 >= img.h) return 255;
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * img.w + x0;
  const d = img.data;
  return Math.round(
    d[i]! * (1 - fx) * (1 - fy) +
      d[i + 1]! * fx * (1 - fy) +
      d[i + img.w]! * (1 - fx) * fy +
      d[i + img.w + 1]! * fx * fy,
  );
}

/** Share of a crop's pixels that are ink (darker than `level`). */
export function inkShare(img: Grey, level = 140): number {
  let n = 0;
  for (const v of img.data) if (v < level) n++;
  return n / img.data.length;
}

/**
 * A crop made clean for OCR: stretched so its paper is white and its ink
 * black (a photo's grey paper otherwise reads as noise), with a white border.
 */
export function normalise(img: Grey, pad = 10): Grey {
  const sorted = Array.from(img.data).sort((a, b) => a - b);
  // Ink may be far under 1 % of a box (one short key in a large one): the darkest pixels set black.
  const lo = sorted[Math.min(sorted.length - 1, 20)] ?? 0;
  const hi = sorted[Math.floor(sorted.length * 0.6)] ?? 255;
  const span = Math.max(1, hi - lo);
  const w = img.w + 2 * pad;
  const h = img.h + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.h; y++) {
    for (let x = 0; x < img.w; x++) {
      const v = ((img.data[y * img.w + x]! - lo) * 255) / span;
      data[(y + pad) * w + x + pad] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { w, h, data };
}
