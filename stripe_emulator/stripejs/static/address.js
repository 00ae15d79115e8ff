/*
 * Link Lab Stripe.js stand-in: the Address Element (inside its iframe), modes `shipping` and `billing`.
 * Options: mode, allowedCountries, defaultValues {name, firstName, lastName, address, phone},
 * fields.phone ('always' shows a phone field), display.name ('split' asks first and last name),
 * validation.phone.required. Autocomplete (Google Maps) is offline-impossible: the full form shows.
 * After a returning Link customer signs in, the Link default shipping address fills the form.
 */
(function (ns) {
  "use strict";
  const LL = ns.frame;
  const el = LL.el;
  const geo = ns.geo;
  const options = () => LL.options;
  const mode = () => (options().mode === "billing" ? "billing" : "shipping");
  const ac = (name) => mode() + " " + name;

  let fromLink = null; // the Link address last filled in, to report isNewAddress
  const f = {};

  function build() {
    const split = (options().display || {}).name === "split";
    f.firstName = split ? LL.field({ id: "Field-firstNameInput", name: "firstName", label: "First name", autocomplete: ac("given-name"), className: "p-Field--half" }) : null;
    f.lastName = split ? LL.field({ id: "Field-lastNameInput", name: "lastName", label: "Last name", autocomplete: ac("family-name"), className: "p-Field--half" }) : null;
    f.name = split ? null : LL.field({ id: "Field-nameInput", name: "name", label: "Full name", autocomplete: ac("name") });
    f.country = LL.field({ id: "Field-countryInput", name: "country", label: "Country or region", autocomplete: ac("country"), options: geo.allowed(options().allowedCountries) });
    f.line1 = LL.field({ id: "Field-addressLine1Input", name: "addressLine1", label: "Address line 1", autocomplete: ac("address-line1"), placeholder: "Street address" });
    f.line2 = LL.field({ id: "Field-addressLine2Input", name: "addressLine2", label: "Address line 2", autocomplete: ac("address-line2"), placeholder: "Apt., suite, unit number, etc. (optional)", required: false });
    f.city = LL.field({ id: "Field-localityInput", name: "locality", label: "City", autocomplete: ac("address-level2"), className: "p-Field--third" });
    f.state = LL.field({ id: "Field-administrativeAreaInput", name: "administrativeArea", label: "State", autocomplete: ac("address-level1"), options: [["", ""]], className: "p-Field--third" });
    f.postal = LL.field({ id: "Field-postalCodeInput", name: "postalCode", label: "ZIP", autocomplete: ac("postal-code"), className: "p-Field--third" });
    const phoneMode = (options().fields || {}).phone;
    f.phone = phoneMode === "always" ? LL.field({ id: "Field-phoneInput", name: "phone", label: "Phone number", type: "tel", autocomplete: ac("tel"), placeholder: "(201) 555-0123" }) : null;
    const grid = el("div", { class: "p-Grid" },
      f.name && f.name.wrap, f.firstName && f.firstName.wrap, f.lastName && f.lastName.wrap,
      f.country.wrap, f.line1.wrap, f.line2.wrap, f.city.wrap, f.state.wrap, f.postal.wrap, f.phone && f.phone.wrap);
    const choices = geo.allowed(options().allowedCountries);
    const preset = ((options().defaultValues || {}).address || {}).country;
    f.country.input.value = preset && choices.some(([c]) => c === preset) ? preset : geo.guess(choices);
    localize();
    for (const field of Object.values(f)) {
      if (!field) continue;
      field.input.addEventListener("input", () => { LL.setInvalid(field, ""); onChange(); });
      field.input.addEventListener("change", onChange);
      field.input.addEventListener("blur", () => { if (field.input.value) check(field, false); });
    }
    f.country.input.addEventListener("change", () => { localize(); onChange(); });
    return grid;
  }

  /** State select and postal label follow the country. */
  function localize() {
    const country = f.country.input.value;
    const regions = geo.regions(country);
    LL.show(f.state.wrap, Boolean(regions));
    if (regions) {
      f.state.label.textContent = regions.label;
      LL.setOptions(f.state.input, [["", ""], ...regions.options]);
    } else {
      f.state.input.value = "";
    }
    const postal = geo.postal(country);
    f.postal.label.textContent = postal.label;
    f.postal.input.placeholder = postal.placeholder;
    f.postal.input.setAttribute("inputmode", postal.numeric ? "numeric" : "text");
  }

  function read() {
    const v = (field) => (field ? field.input.value.trim() : "");
    const value = {};
    if (f.firstName) {
      value.firstName = v(f.firstName);
      value.lastName = v(f.lastName);
      value.name = [value.firstName, value.lastName].filter(Boolean).join(" ");
    } else {
      value.name = v(f.name);
    }
    value.address = {
      line1: v(f.line1), line2: v(f.line2) || null, city: v(f.city),
      state: v(f.state), postal_code: v(f.postal), country: f.country.input.value,
    };
    if (f.phone) value.phone = v(f.phone);
    return value;
  }

  /** The message for one field, or "" when it is fine. */
  function messageFor(field) {
    const value = field.input.value.trim();
    if (field === f.line2) return "";
    if (field === f.state && f.state.wrap.hidden) return "";
    if (field === f.phone) {
      const required = ((options().validation || {}).phone || {}).required;
      if (!value) return required === "always" ? "Your phone number is incomplete." : "";
      return value.replace(/\D/g, "").length < 7 ? "Your phone number is invalid." : "";
    }
    if (field === f.postal) {
      const rule = geo.postal(f.country.input.value);
      if (!value) return "Your " + rule.noun + " is incomplete.";
      return rule.pattern.test(value) ? "" : "Your " + rule.noun + " is invalid.";
    }
    if (field === f.country) return value ? "" : "This field is incomplete.";
    return value ? "" : "This field is incomplete.";
  }

  function check(field, show) {
    const message = messageFor(field);
    if (show || field.input.value) LL.setInvalid(field, message);
    return message;
  }

  function fields() {
    return Object.values(f).filter(Boolean);
  }

  function snapshot() {
    const value = read();
    const complete = fields().every((field) => !messageFor(field));
    const empty = !value.name && !value.address.line1 && !value.address.line2 && !value.address.city &&
      !value.address.postal_code && !value.address.state && !value.phone;
    const isNewAddress = !(fromLink && JSON.stringify(value.address) === JSON.stringify(fromLink.address));
    return { complete: complete, empty: empty, isNewAddress: isNewAddress, value: value };
  }

  function onChange(initial) {
    const s = snapshot();
    LL.change({ elementMode: mode(), empty: s.empty, complete: s.complete, isNewAddress: s.isNewAddress, value: s.value }, initial === true);
  }

  function fill(values) {
    const a = values.address || {};
    const set = (field, value) => { if (field && value !== undefined && value !== null) field.input.value = value; };
    if (a.country && [...f.country.input.options].some((o) => o.value === a.country)) {
      f.country.input.value = a.country;
      localize();
    }
    if (f.firstName) {
      const parts = (values.name || "").split(" ");
      set(f.firstName, values.firstName || parts[0] || "");
      set(f.lastName, values.lastName || parts.slice(1).join(" "));
    } else {
      set(f.name, values.name);
    }
    set(f.line1, a.line1);
    set(f.line2, a.line2);
    set(f.city, a.city);
    set(f.state, a.state);
    set(f.postal, a.postal_code);
    set(f.phone, values.phone);
    fields().forEach((field) => LL.setInvalid(field, ""));
  }

  async function autofillFromLink(session) {
    const result = await LL.api("POST", "/v1/consumers/shipping_addresses/list", {
      credentials: { consumer_session_client_secret: session.client_secret },
    });
    if (result.error) return;
    const list = result.data.shipping_addresses || [];
    const chosen = list.find((s) => s.is_default) || list[0];
    if (!chosen) return;
    const country = chosen.address.country;
    if (![...f.country.input.options].some((o) => o.value === country)) return;
    fill({ name: chosen.address.name, phone: chosen.address.phone, address: chosen.address });
    fromLink = { address: snapshot().value.address };
    onChange();
  }

  LL.onBroadcast((message) => {
    if (message.kind === "link-state" && message.data.session && mode() === "shipping") {
      autofillFromLink(message.data.session);
    }
    if (message.kind === "hello") LL.broadcast("address", { mode: mode() });
  });

  LL.define({
    render(root) {
      root.append(build());
      onChange(true); // the state at mount is not a change
      const defaults = options().defaultValues;
      if (defaults) {
        fill(defaults);
        onChange();
      }
      LL.broadcast("hello");
      LL.broadcast("address", { mode: mode() });
    },
    validate() {
      const messages = fields().map((field) => check(field, true));
      const s = snapshot();
      const index = messages.findIndex(Boolean);
      const result = { mode: mode(), value: s.value, complete: s.complete };
      if (index >= 0) {
        fields()[index].input.focus();
        result.error = { type: "validation_error", code: "incomplete_address", message: messages[index] };
      }
      return result;
    },
    getValue() {
      const s = snapshot();
      return { complete: s.complete, isNewAddress: s.isNewAddress, value: s.value };
    },
    clear() {
      fields().forEach((field) => {
        if (field !== f.country) field.input.value = "";
        LL.setInvalid(field, "");
      });
      fromLink = null;
      onChange();
    },
    update(next) {
      if (next.allowedCountries) {
        LL.setOptions(f.country.input, geo.allowed(next.allowedCountries));
        localize();
      }
      if (next.defaultValues) fill(next.defaultValues);
      onChange();
    },
    focus() {
      LL.focusFirst("#root input, #root select");
    },
    blur() {
      document.activeElement && document.activeElement.blur();
    },
  });
})(window.__linklabStripe = window.__linklabStripe || {});
