import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { registry } from '../../engine/generated/schemas';
import type { PartySettingInfo } from '../../engine/schema';
import { controlTags, type ValueInputEvent } from '../controls';

/** What `party-setting` carries: the setting's id and its new value. */
export interface PartySettingDetail {
  readonly id: string;
  readonly value: unknown;
}

/**
 * The party settings every plugin declares (`PluginSchema.party`), each
 * with the inspector control of its kind: one value for the whole party
 * (e.g. whether players may ping). Fires `party-setting` when the GM changes one.
 */
export class PartySettings extends LitElement {
  static override properties: PropertyDeclarations = {
    values: { attribute: false },
  };

  static override styles = css`
    :host {
      display: block;
      padding: 0.5rem;
      border-top: 1px solid #343a40;
    }
    h2 {
      margin: 0 0 0.4rem;
      font-size: 0.85rem;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: #adb5bd;
    }
  `;

  /** The stored settings, setting id → value (absent: its default). */
  values: Readonly<Record<string, unknown>> = {};

  override render() {
    if (registry.partySettings.length === 0) return nothing;
    return html`<h2>Party settings</h2>
      ${registry.partySettings.map((s) => this.control(s))}`;
  }

  private control(setting: PartySettingInfo) {
    const tag = unsafeStatic(controlTags[setting.control]);
    const value = Object.hasOwn(this.values, setting.id) ? this.values[setting.id] : setting.decl.default;
    return staticHtml`<${tag}
      data-setting=${setting.id}
      .path=${[setting.id]}
      label=${setting.label}
      description=${setting.decl.description ?? ''}
      .value=${value}
      @value-input=${(e: ValueInputEvent) => this.changed(setting, e)}
    ></${tag}>`;
  }

  private changed(setting: PartySettingInfo, e: ValueInputEvent): void {
    e.stopPropagation();
    this.dispatchEvent(
      new CustomEvent<PartySettingDetail>('party-setting', {
        detail: { id: setting.id, value: e.detail.value },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

if (!customElements.get('ts-party-settings')) customElements.define('ts-party-settings', PartySettings);

declare global {
  interface HTMLElementTagNameMap {
    'ts-party-settings': PartySettings;
  }
}
