/**
 * The demo party `npm start` seeds into an empty database. Plain content, not
 * wiring: property values are keyed by their StageProps path and checked by
 * the registry's validators when seeded. `@image:<name>` stands for the URL
 * of the generated picture `<name>` once it is written into uploads.
 */
export interface DemoContent {
  readonly party: string;
  readonly gameSession: string;
  readonly images: Readonly<Record<string, DemoImage>>;
  readonly scenes: readonly DemoScene[];
}

export interface DemoImage {
  readonly width: number;
  readonly height: number;
  readonly background: readonly [number, number, number];
  readonly tile: number;
  readonly seed: number;
  readonly rooms: readonly {
    x: number;
    y: number;
    w: number;
    h: number;
    color: readonly [number, number, number];
  }[];
}

export interface DemoScene {
  readonly name: string;
  /** `plugin.property` → value. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Collection key → members, each `property` → value. */
  readonly collections: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
}

const stone = [120, 112, 100] as const;
const moss = [86, 110, 78] as const;

export const demoContent: DemoContent = {
  party: 'Demo party',
  gameSession: 'The Sunken Crypt',
  images: {
    crypt: {
      width: 640,
      height: 448,
      background: [28, 26, 30],
      tile: 32,
      seed: 7,
      rooms: [
        { x: 32, y: 32, w: 224, h: 192, color: stone },
        { x: 256, y: 112, w: 128, h: 32, color: stone },
        { x: 384, y: 64, w: 224, h: 320, color: stone },
        { x: 128, y: 224, w: 32, h: 160, color: stone },
        { x: 64, y: 384, w: 320, h: 32, color: moss },
      ],
    },
    clearing: {
      width: 512,
      height: 384,
      background: [54, 82, 46],
      tile: 32,
      seed: 11,
      rooms: [
        { x: 160, y: 96, w: 192, h: 192, color: [140, 120, 84] },
        { x: 0, y: 176, w: 160, h: 32, color: [140, 120, 84] },
      ],
    },
  },
  scenes: [
    {
      name: 'Crypt entrance',
      props: {
        'map.url': '@image:crypt',
        // The players' display frames exactly the map.
        'display.center': { x: 320, y: 224 },
        'display.size': { x: 640, y: 448 },
        'grid.size': 32,
        'grid.opacity': 0.35,
        'grid.color': '#222222',
        'fogOfWar.enabled': false,
        // When the GM turns fog on, its edge is soft and drifts.
        'fogOfWar.edgeWidth': 24,
        'fogOfWar.noiseAmount': 0.35,
        'fogOfWar.noiseSpeed': 0.3,
        // A dim crypt lit by torches, with mist drifting along the corridor.
        'lighting.darkness': 0.75,
        'weatherFx.preset': 'mist',
        'weatherFx.intensity': 0.4,
        'weatherFx.direction': 0,
        'weatherFx.speed': 0.6,
        'weatherFx.opacity': 0.6,
        // The TV's picture fades into darkness at its edges; torchlight glows, colours are a little muted.
        'edgeOverlay.enabled': true,
        'edgeOverlay.width': 0.12,
        'edgeOverlay.opacity': 0.85,
        'postFx.bloom': true,
        'postFx.bloomThreshold': 0.4,
        'postFx.bloomIntensity': 0.8,
        'postFx.grading': true,
        'postFx.contrast': 1.1,
        'postFx.saturation': 0.85,
        'notes.text': 'The sarcophagus in the east hall holds the key. The trap in the corridor deals 2d6.',
      },
      collections: {
        markers: [
          { label: 'Aria', position: { x: 112, y: 112 }, color: '#1c7ed6', shape: 'circle', size: 1 },
          { label: 'Borin', position: { x: 144, y: 144 }, color: '#2f9e44', shape: 'circle', size: 1 },
          { label: 'Ghoul', position: { x: 496, y: 240 }, color: '#e03131', shape: 'square', size: 1 },
          {
            label: 'Hidden trap',
            position: { x: 144, y: 304 },
            color: '#f08c00',
            shape: 'triangle',
            size: 0.75,
            visibility: 'gm-only',
            gmNote: 'DC 14 Perception to spot.',
          },
        ],
        lights: [
          { position: { x: 128, y: 64 }, brightRadius: 3, dimRadius: 6, style: 'torch' },
          { position: { x: 496, y: 96 }, brightRadius: 3, dimRadius: 6, style: 'torch', animationSpeed: 1.3 },
          { position: { x: 320, y: 128 }, brightRadius: 1, dimRadius: 3, style: 'candle', color: '#ffe0a0' },
          {
            position: { x: 496, y: 320 },
            brightRadius: 2,
            dimRadius: 4,
            style: 'pulse',
            color: '#8fb8ff',
            hidden: true,
          },
        ],
      },
    },
    {
      name: 'Forest clearing',
      props: {
        'map.url': '@image:clearing',
        'display.center': { x: 256, y: 192 },
        'display.size': { x: 512, y: 384 },
        'grid.type': 'hex',
        'grid.size': 40,
        'grid.opacity': 0.25,
      },
      collections: {
        markers: [
          { label: 'Campfire', position: { x: 260, y: 180 }, color: '#ff922b', shape: 'pin', size: 1 },
        ],
      },
    },
  ],
};
