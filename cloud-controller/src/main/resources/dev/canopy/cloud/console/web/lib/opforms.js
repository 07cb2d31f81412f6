// Small form helpers of the operator's views: a labelled input and a button that runs an action.

import { el } from "./dom.js";

/** A label wrapping a text input or select; attributes go to the control. */
export function field(label, control) {
  return el("label", {}, label, control);
}

/** A select of options [value, text]; the one equal to selected is chosen. */
export function select(attributes, options, selected) {
  return el("select", attributes, options.map(([value, text]) => el("option", { value, selected: value === selected }, text)));
}

/** A button that runs action() when clicked, disabled while it runs. */
export function actionButton(text, attributes, action) {
  const button = el("button", { type: "button", ...attributes }, text);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
