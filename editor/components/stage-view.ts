import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import {
  createStageRenderer,
  type PerformanceTier,
  type RenderView,
  type StageRenderer,
} from '../../engine/render';
import type { Point } from '../../engine/schema';
import { registry } from '../../engine/generated/schemas';
import type { StageProps } from '../../engine/generated/stageProps';
import type { Cursor } from '../../engine/sync';
import {
  HOLD_MS,
  HOLD_SLOP_PX,
  panGesture,
  type MemberRef,
  type PresenceEntry,
  type PreviewShape,
  type ToolGesture,
} from '../../engine/plugin';
import { PLUGINS, type ToolInfo } from '../state/plugins';
import {
  holdPress,
  hoverTool,
  startGesture,
  toolPointer,
  wheelViewport,
  type ToolHost,
} from '../state/tools';
import { readColor } from '../../engine/sync/presence';

/** Fired once the Babylon renderer exists (detail: the renderer), so the page can build its tool host. */
export type RendererReadyEvent = CustomEvent<StageRenderer>;

/** The member under the pointer changed (detail: it, or undefined); the GM editor tells plugins (`focus`). */
export type MemberHoverEvent = CustomEvent<{ plugin: string; id: string } | undefined>;

/**
 * The Babylon viewport: a canvas with one renderer, fed StageProps and scene
 * blobs, with other users' cursors drawn on top. With a `host` and a `tool`
 * it is interactive (GM editor, a player's tools); with a host, no tool and
 * `pans`, a drag pans and the wheel zooms (a player's free view); without a
 * host it only shows. With a host, a press held still is offered to the
 * plugins' `onHold` (click and hold). Pointer moves are reported as
 * `cursor-move` (scene point) / `cursor-leave`.
 */
export class StageView extends LitElement {
  static override properties: PropertyDeclarations = {
    view: {},
    props: { attribute: false },
    blobs: { attribute: false },
    tool: { attribute: false },
    host: { attribute: false },
    pans: { type: Boolean },
    cursors: { attribute: false },
    presence: { attribute: false },
    selection: { attribute: false },
    tier: { attribute: false },
    failure: { state: true },
    shape: { state: true },
  };

  static override styles = css`
    :host {
      position: relative;
      display: block;
      overflow: hidden;
      background: #1b1d21;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      touch-action: none;
      outline: none;
    }
    .overlay {
      position: absolute;
      inset: 0;
      pointer-events: none;
      overflow: hidden;
    }
    .cursor {
      position: absolute;
      transform: translate(-2px, -2px);
      font-size: 11px;
      white-space: nowrap;
    }
    .cursor svg {
      display: block;
    }
    .cursor span {
      display: inline-block;
      margin: 2px 0 0 10px;
      padding: 1px 5px;
      border-radius: 3px;
      color: #fff;
    }
    .shape {
      position: absolute;
      /* The outline is the shape's size: a brush outline is exactly the brush. */
      box-sizing: border-box;
      border: 2px dashed #fff;
      box-shadow: 0 0 0 1px #000;
    }
    .shape.ellipse {
      border-radius: 50%;
    }
    svg.polygon {
      position: absolute;
      inset: 0;
    }
    .failure {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      padding: 2rem;
      text-align: center;
    }
  `;

  view: RenderView = 'gm';
  props?: StageProps;
  blobs?: ReadonlyMap<string, Uint8Array>;
  /** The active tool; no tool (or no host) means the view only shows. */
  tool?: ToolInfo;
  host?: ToolHost;
  /** With no tool, a drag pans and the wheel zooms (a player's free view). */
  pans = false;
  cursors: readonly Cursor[] = [];
  /** Plugins' presence values by plugin name (rulers, pings), handed to their render systems. */
  presence: ReadonlyMap<string, readonly PresenceEntry[]> = new Map();
  selection?: MemberRef;
  /**
   * The performance tier: pinned, or `auto` (frame time picks it; the player
   * display). Reflected as `data-tier` / `data-tier-mode` for tests and the curious.
   */
  tier: PerformanceTier | 'auto' = 'high';
  renderer?: StageRenderer;
  protected failure = '';
  protected shape?: PreviewShape;
  private gesture?: ToolGesture;
  private pointerId?: number;
  /** The pending click and hold: where the press was, and its timer. */
  private holdAt?: Point;
  private holdTimer?: ReturnType<typeof setTimeout>;
  private holdFrame?: number;
  private hovered?: { plugin: string; id: string };

  /** The preview of a rectangle / ellipse drag (the tool host calls this through the page). */
  showShape(shape: PreviewShape | undefined): void {
    this.shape = shape;
  }

  override render() {
    if (this.failure)
      return html`<div class="failure" role="alert" data-problem="no-webgl">
        <div><strong>The scene cannot be drawn.</strong><br />${this.failure}</div>
      </div>`;
    return html`<canvas
        tabindex="0"
        style=${`cursor:${this.tool?.cursor ?? (this.pans ? 'grab' : 'default')}`}
        @pointerdown=${this.onDown}
        @pointermove=${this.onMove}
        @pointerup=${this.onUp}
        @pointercancel=${this.onCancel}
        @pointerleave=${this.onLeave}
        @wheel=${this.onWheel}
        @contextmenu=${(e: Event) => e.preventDefault()}
      ></canvas>
      <div class="overlay">${this.renderShape()}${this.renderCursors()}</div>`;
  }

  private renderShape() {
    const s = this.shape;
    if (!s) return nothing;
    if (s.kind === 'polygon') {
      const pts = (s.points ?? []).map((p) => `${Number(p.x)},${Number(p.y)}`).join(' ');
      return html`<svg class="polygon" width="100%" height="100%">
        <polyline points=${pts} fill="rgba(255,255,255,0.12)" stroke="#000" stroke-width="4" />
        <polyline points=${pts} fill="none" stroke="#fff" stroke-width="2" stroke-dasharray="6 4" />
      </svg>`;
    }
    return html`<div
      class="shape ${s.kind}"
      style="left:${s.x}px;top:${s.y}px;width:${s.width}px;height:${s.height}px"
    ></div>`;
  }

  private renderCursors() {
    const r = this.renderer;
    if (!r) return nothing;
    return this.cursors.map((c) => {
      const p = r.sceneToScreen({ x: c.x, y: c.y });
      // Presence comes from other users: bound only through styleMap (one property each, a colour that
      // readColor accepted) and text nodes, never spliced into a style string or markup.
      const color = readColor(c.color) ?? '#888888';
      return html`<div
        class="cursor"
        data-user=${c.userId}
        style=${styleMap({ left: `${Number(p.x)}px`, top: `${Number(p.y)}px` })}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <path d="M1 1 L13 6 L7 7 L6 13 Z" fill=${color} stroke="#000" stroke-width="1" />
        </svg>
        <span style=${styleMap({ background: color })}>${c.name}</span>
      </div>`;
    });
  }

  protected override firstUpdated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    try {
      this.renderer = createStageRenderer(canvas, {
        view: this.view,
        plugins: PLUGINS,
        registry,
        // Keeps the last frame readable: screenshots and pixel checks read the canvas.
        preserveDrawingBuffer: true,
        tier: this.tier,
      });
    } catch (e) {
      this.failure = `WebGL is unavailable in this browser (${(e as Error).message}).`;
      return;
    }
    this.renderer.onTierChange(() => this.showTier());
    this.showTier();
    if (this.props) this.renderer.setProps(this.props);
    if (this.blobs) this.renderer.setBlobs(this.blobs);
    for (const [plugin, entries] of this.presence) this.renderer.setPresence(plugin, entries);
    this.dispatchEvent(
      new CustomEvent('renderer-ready', { detail: this.renderer, bubbles: true, composed: true }),
    );
    // Draw the cursors overlay now that scene → screen mapping exists (after this update, not inside it).
    queueMicrotask(() => this.requestUpdate());
  }

  protected override updated(changed: PropertyValues<this>): void {
    const r = this.renderer;
    if (!r) return;
    if (changed.has('props') && this.props) r.setProps(this.props);
    if (changed.has('blobs') && this.blobs) r.setBlobs(this.blobs);
    if (changed.has('presence'))
      for (const [plugin, entries] of this.presence) r.setPresence(plugin, entries);
    if (changed.has('tier') && changed.get('tier') !== undefined) {
      r.setTier(this.tier);
      this.showTier();
    }
    if (changed.has('selection')) {
      for (const c of registry.collections)
        r.setSelection(c.name, new Set(this.selection?.collection === c.key ? [this.selection.id] : []));
    }
  }

  private showTier(): void {
    if (!this.renderer) return;
    this.dataset.tier = this.renderer.tier;
    this.dataset.tierMode = this.renderer.tierMode;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopHold();
    this.renderer?.dispose();
    this.renderer = undefined;
  }

  private point(e: PointerEvent | WheelEvent): Point {
    const rect = (e.target as HTMLElement).getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private onDown(e: PointerEvent): void {
    const host = this.host;
    if (!host || this.gesture) return;
    (e.target as HTMLElement).focus();
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    this.pointerId = e.pointerId;
    const at = this.point(e);
    // No tool: the primary button pans a free view and only holds otherwise; the others always pan.
    this.gesture = this.tool
      ? startGesture(this.tool, host, at, e)
      : e.button !== 0
        ? startGesture(undefined, host, at, e)
        : this.pans
          ? panGesture(host.backend, at)
          : undefined;
    this.stopHold();
    if (e.button !== 0) return;
    this.holdAt = at;
    this.holdTimer = setTimeout(() => {
      // Decide in the next animation frame: pointer moves that queued while the page was busy are
      // dispatched before its callbacks, so a drag whose first move came late is not taken for a hold.
      this.holdFrame = requestAnimationFrame(() => {
        if (!this.holdAt) return;
        this.holdAt = undefined;
        // A hold a plugin takes ends the press: the tool's gesture is undone (it has not moved).
        if (this.host === host && holdPress(this.tool, host, at, e)) this.cancelGesture();
      });
    }, HOLD_MS);
  }

  private stopHold(): void {
    clearTimeout(this.holdTimer);
    if (this.holdFrame !== undefined) cancelAnimationFrame(this.holdFrame);
    this.holdFrame = undefined;
    this.holdAt = undefined;
  }

  private onMove(e: PointerEvent): void {
    const p = this.point(e);
    if (this.renderer)
      this.dispatchEvent(new CustomEvent('cursor-move', { detail: this.renderer.screenToScene(p) }));
    if (this.holdAt && Math.hypot(p.x - this.holdAt.x, p.y - this.holdAt.y) > HOLD_SLOP_PX) this.stopHold();
    if (this.gesture && e.pointerId === this.pointerId && this.host)
      this.gesture.move(toolPointer(this.host, p, e));
    else if (this.renderer && this.host && this.tool) {
      const hit = this.renderer.pick(p.x, p.y);
      this.setHovered(hit ? { plugin: hit.plugin, id: hit.id } : undefined);
      hoverTool(this.tool, this.host, p, e);
    }
  }

  private onUp(e: PointerEvent): void {
    if (e.pointerId === this.pointerId) this.stopHold();
    if (!this.gesture || e.pointerId !== this.pointerId) return;
    const g = this.gesture;
    this.gesture = undefined;
    if (this.host) g.end(toolPointer(this.host, this.point(e), e));
    else g.cancel();
  }

  private onCancel(e: PointerEvent): void {
    if (e.pointerId === this.pointerId) this.stopHold();
    if (!this.gesture || e.pointerId !== this.pointerId) return;
    const g = this.gesture;
    this.gesture = undefined;
    g.cancel();
  }

  /** Highlights the member under the pointer and says so when it changed. */
  private setHovered(hit: { plugin: string; id: string } | undefined): void {
    if (hit?.plugin === this.hovered?.plugin && hit?.id === this.hovered?.id) return;
    this.hovered = hit;
    this.renderer?.setHover(hit);
    this.dispatchEvent(new CustomEvent('member-hover', { detail: hit }));
  }

  private onLeave(): void {
    this.dispatchEvent(new CustomEvent('cursor-leave'));
    // Nothing is hovered once the pointer left (a hover marker must not stay on the TV); a drag keeps it.
    if (!this.gesture) this.setHovered(undefined);
    // A hover outline (a brush) must not linger where the pointer left; a drag keeps its preview.
    if (!this.gesture) this.shape = undefined;
  }

  private onWheel(e: WheelEvent): void {
    if (!this.host || !this.renderer || (!this.tool && !this.pans)) return;
    e.preventDefault();
    this.host.backend.setViewport(wheelViewport(this.renderer.viewport, this.point(e), e));
  }

  /** Cancels a gesture in progress (Escape). */
  cancelGesture(): void {
    this.stopHold();
    const g = this.gesture;
    this.gesture = undefined;
    g?.cancel();
  }
}

if (!customElements.get('ts-stage-view')) customElements.define('ts-stage-view', StageView);

declare global {
  interface HTMLElementTagNameMap {
    'ts-stage-view': StageView;
  }
}
