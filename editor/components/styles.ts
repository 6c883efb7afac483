import { css } from 'lit';

/** Buttons, inputs and headings shared by the pages and components (each has its own shadow root). */
export const sharedStyles = css`
  :host {
    color: inherit;
    font: inherit;
  }
  h2 {
    font-size: 1.05rem;
    margin: 1.25rem 0 0.5rem;
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
    background: #2f333a;
    border: 1px solid var(--ts-border, #3a3f47);
    border-radius: 4px;
    padding: 0.3rem 0.6rem;
  }
  button {
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--ts-accent, #4dabf7);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: #1c7ed6;
    border-color: #1c7ed6;
  }
  button[aria-pressed='true'] {
    background: #1864ab;
    border-color: var(--ts-accent, #4dabf7);
  }
  a {
    color: var(--ts-accent, #4dabf7);
  }
  .error {
    color: var(--ts-danger, #fa5252);
  }
`;
