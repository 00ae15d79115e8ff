/*
 * Link Lab Stripe.js stand-in: the Payment Element (inside its iframe).
 * - Loads the intent (publishable key + client secret) to learn its payment method types.
 * - Card form (payment_card.js); layout 'tabs' (one method: no tab row) or 'accordion'.
 * - The signed-in Link view is payment_link_view.js; the opt-in and the confirm are here.
 * - Link: a signed-in customer (session shared by the Link Authentication Element) sees their
 *   Link-saved payment methods, with "Log out of Link" in the menu and "Pay another way".
 *   A new customer gets the opt-in "Save my information for faster checkout", checked by default
 *   (docs/facts/elements_ui.md#link-opt-in-in-the-payment-element), + phone number (required only while checked, checked like the emulator does:
 *   US 10 digits, or +1 and 10 digits). At confirm it signs up naming the intent (a provisional
 *   Link account: the emulator drops it if this payment fails), saves the card and shipping
 *   address to Link, then confirms with Link. Only a successful confirm makes the customer a Link
 *   customer here; after a decline the opt-in stays as it was, to retry.
 * - A returning Link customer who closed the code panel continues as a guest: the opt-in is shown
 *   (unchecked: they already have Link) with a "Log in with Link" button reopening the panel.
 * - Confirms the intent from here (emulator origin), so card data never reaches the merchant page.
 */
(function (ns) {
  "use strict";
  const LL = ns.frame;
  const { intentOf } = ns.common;
  const el = LL.el;
  const options = () => LL.options;

  const state = {
    types: ["card"], kind: null,
    link: { peer: false, email: "", complete: false, account: false, dismissed: false, session: null },
    details: [], selected: null, view: "card", collapsed: false, busy: false, optInTouched: false,
  };
  const defaults = () => (options().defaultValues || {}).billingDetails || {};
  const linkEnabled = () => state.types.includes("link") && ((options().wallets || {}).link !== "never");
  const collectAddress = () => {
    const fields = options().fields || {};
    const billing = fields.billingDetails;
    if (billing === "never") return false;
    return !(billing && typeof billing === "object" && billing.address === "never");
  };
  const layout = () => {
    const l = options().layout;
    return typeof l === "string" ? { type: l } : (l || { type: "tabs" });
  };

  let card = null;
  const view = {};

  // The signed-in Link view (payment_link_view.js) shares this Element's state.
  const linkView = ns.paymentLinkView({ state, view, linkEnabled, refresh, publish });
  const { setSession, clearSession, setView } = linkView;

  // ---- Link: opt-in for new customers ----
  function buildOptIn() {
    view.optInBox = el("input", { type: "checkbox", class: "CheckboxInput", id: "payment-linkOptInInput", name: "linkOptIn", checked: true });
    view.optInEmail = LL.field({ id: "payment-linkEmailInput", name: "linkEmail", label: "Email", type: "email", autocomplete: "billing email", placeholder: "you@example.com" });
    view.optInPhone = LL.field({ id: "payment-linkMobilePhoneInput", name: "linkMobilePhone", label: "Phone number", type: "tel", autocomplete: "billing tel", placeholder: "(201) 555-0123" });
    if (defaults().email) view.optInEmail.input.value = defaults().email;
    if (defaults().phone) view.optInPhone.input.value = defaults().phone;
    view.optInTerms = el("p", { class: "p-LinkOptIn-terms" }, "By providing your phone number, you agree to create a Link account and save your payment info to Link, according to the Link Terms and Privacy Policy.");
    view.optInFields = el("div", { class: "p-LinkOptIn-fields p-Grid", hidden: true },
      view.optInEmail.wrap, view.optInPhone.wrap, view.optInTerms);
    // A returning Link customer who closed the code panel: log in instead of signing up again.
    view.optInError = el("div", { class: "Error", id: "payment-linkOptIn-error", role: "alert" });
    view.optInLogin = el("div", { class: "p-LinkOptIn-fields", hidden: true },
      el("p", { class: "p-LinkOptIn-terms" }, "This email already has a Link account."),
      el("button", { type: "button", class: "Action", onclick: logIn }, "Log in with Link"));
    view.optIn = el("div", { class: "Block p-LinkOptIn", hidden: true },
      el("label", { class: "Checkbox", id: "Field-linkOptInCheckbox", for: "payment-linkOptInInput" },
        view.optInBox, el("span", { class: "p-LinkOptIn-labelText CheckboxLabel" }, "Save my information for faster checkout")),
      view.optInFields, view.optInLogin, view.optInError);
    view.optInBox.setAttribute("aria-describedby", view.optInError.id);
    view.optInBox.addEventListener("change", () => {
      state.optInTouched = true;
      view.optInError.textContent = "";
      refresh();
      publish();
    });
    for (const f of [view.optInEmail, view.optInPhone]) {
      f.input.addEventListener("input", () => { LL.setInvalid(f, ""); publish(); });
    }
  }

  function logIn() {
    LL.broadcast("link-login");
  }

  /** The email has a Link account but its customer closed the code panel (a guest for now). */
  function knownAccount() {
    return state.link.account && state.link.dismissed;
  }
  function optInOffered() {
    return linkEnabled() && !state.link.session && (!state.link.account || state.link.dismissed) && card.numberComplete();
  }
  function optedIn() {
    return optInOffered() && view.optInBox.checked;
  }

  // National number lengths by calling code: the emulator's rule (resources/link.py normalize_phone).
  const CALLING_CODES = {
    US: "1", CA: "1", GB: "44", IE: "353", FR: "33", DE: "49", ES: "34", IT: "39", NL: "31", BE: "32",
    AT: "43", CH: "41", AU: "61", NZ: "64", JP: "81", SG: "65", MX: "52", BR: "55", IN: "91", SE: "46",
    NO: "47", DK: "45", FI: "358", PL: "48", PT: "351",
  };
  /** null when the emulator accepts `raw` as a phone number of `country`, else "incomplete"|"invalid". */
  function phoneProblem(raw, country) {
    const compact = raw.replace(/[\s().-]/g, "");
    if (compact.startsWith("+")) {
      const digits = compact.slice(1);
      if (!/^\d+$/.test(digits)) return "invalid";
      const need = digits.startsWith("1") ? [11, 11] : [8, 15];
      return digits.length < need[0] ? "incomplete" : digits.length > need[1] ? "invalid" : null;
    }
    const code = CALLING_CODES[country];
    if (!/^\d+$/.test(compact) || !code) return "invalid";
    if (code === "1") {
      const national = compact.length === 11 && compact.startsWith("1") ? compact.slice(1) : compact;
      return national.length < 10 ? "incomplete" : national.length > 10 ? "invalid" : null;
    }
    const national = compact.replace(/^0+/, "");
    return national.length < 6 ? "incomplete" : national.length > 12 ? "invalid" : null;
  }
  function signUpCountry(billing) {
    return (billing && billing.address && billing.address.country) || card.country() || "US";
  }

  function optInError(country) {
    if (knownAccount()) {
      return [null, "link_login_required", "Log in with Link to use your saved information, or untick the box to continue as a guest."];
    }
    const needEmail = !state.link.peer || !state.link.email;
    const email = needEmail ? view.optInEmail.input.value.trim() : state.link.email;
    if (needEmail && !/^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(email)) {
      return [view.optInEmail, email ? "email_invalid" : "incomplete_email", email ? "Your email address is invalid." : "Your email address is incomplete."];
    }
    const phone = view.optInPhone.input.value.trim();
    if (!phone) return [view.optInPhone, "incomplete_phone_number", "Please provide a mobile phone number."];
    const problem = phoneProblem(phone, country || signUpCountry(null));
    if (problem === "incomplete") return [view.optInPhone, "incomplete_phone_number", "Your mobile phone number is incomplete."];
    if (problem) return [view.optInPhone, "invalid_phone_number", "Your mobile phone number is invalid."];
    return null;
  }
  function showOptInError(problem) {
    if (problem[0]) {
      LL.setInvalid(problem[0], problem[2]);
      problem[0].input.focus();
    } else {
      view.optInError.textContent = problem[2];
      view.optInBox.focus();
    }
  }

  // ---- render ----
  function refresh() {
    if (!card) return;
    const link = state.view === "link";
    LL.show(view.link, link);
    LL.show(view.methods, !link);
    LL.show(view.useLink, !link && state.details.length > 0);
    if (!state.optInTouched) view.optInBox.checked = !knownAccount(); // checked by default, for new customers
    LL.show(view.optIn, !link && optInOffered());
    LL.show(view.optInFields, optedIn() && !knownAccount());
    LL.show(view.optInLogin, optedIn() && knownAccount());
    LL.show(view.optInEmail.wrap, !state.link.peer || !state.link.email);
    if (!optedIn()) view.optInError.textContent = "";
  }

  function publish(initial) {
    if (!card) return;
    const link = state.view === "link";
    let complete = link ? Boolean(state.selected) : card.complete();
    if (!link && complete && optedIn()) complete = !optInError();
    LL.change({
      empty: link ? false : card.empty(),
      complete: complete,
      collapsed: state.collapsed,
      value: { type: link ? "link" : "card" },
    }, initial);
  }

  function buildMethods() {
    const l = layout();
    if (l.type !== "accordion") return el("div", { class: "p-Methods" }, card.node);
    view.panel = el("div", { class: "p-AccordionPanel", id: "accordion-card-panel" }, card.node);
    view.accordionButton = el("button", {
      type: "button", class: "p-AccordionButton", "aria-expanded": "true", "aria-controls": "accordion-card-panel", "data-value": "card",
      onclick: () => setCollapsed(view.accordionButton.getAttribute("aria-expanded") === "true"),
    }, el("span", { class: "p-Radio", "aria-hidden": "true" }), "Card");
    return el("div", { class: "p-Methods AccordionItem" }, view.accordionButton, view.panel);
  }

  function setCollapsed(collapsed) {
    state.collapsed = collapsed;
    if (view.accordionButton) {
      view.accordionButton.setAttribute("aria-expanded", String(!collapsed));
      LL.show(view.panel, !collapsed);
    }
    publish();
  }

  // ---- confirm ----
  function billingDetails(payload, confirmParams) {
    const given = ((confirmParams.payment_method_data || {}).billing_details) || {};
    const out = JSON.parse(JSON.stringify(given));
    const email = payload.email || (optedIn() ? view.optInEmail.input.value.trim() : "") || defaults().email;
    if (email) out.email = email;
    for (const key of ["name", "phone"]) if (defaults()[key] && !out[key]) out[key] = defaults()[key];
    const billing = payload.billing;
    if (billing) {
      if (billing.name) out.name = billing.name;
      if (billing.phone) out.phone = billing.phone;
      out.address = Object.assign({}, billing.address);
      if (!out.address.line2) delete out.address.line2;
    } else if (collectAddress()) {
      out.address = Object.assign({}, out.address || {}, card.billingAddress());
    }
    return out;
  }

  function pmExtras(confirmParams) {
    const data = confirmParams.payment_method_data || {};
    const out = {};
    if (data.allow_redisplay) out.allow_redisplay = data.allow_redisplay;
    if (data.metadata) out.metadata = data.metadata;
    return out;
  }

  async function signUp(payload, billing) {
    const email = state.link.peer && state.link.email ? state.link.email : view.optInEmail.input.value.trim();
    const shipping = payload.shipping;
    const name = (shipping && shipping.name) || billing.name || undefined;
    const signUpResult = await LL.api("POST", "/v1/consumers/accounts/sign_up", {
      email_address: email, phone_number: view.optInPhone.input.value.trim(), country: signUpCountry(billing), name: name,
      client_secret: payload.clientSecret, // provisional until this intent succeeds with Link
    });
    if (signUpResult.error) {
      const param = signUpResult.error.param;
      const target = param === "phone_number" ? view.optInPhone : param === "email_address" && !view.optInEmail.wrap.hidden ? view.optInEmail : null;
      if (target) LL.setInvalid(target, signUpResult.error.message);
      return signUpResult;
    }
    const session = signUpResult.data;
    const credentials = { consumer_session_client_secret: session.client_secret };
    const address = Object.assign({}, billing.address || {});
    if (name) address.name = name;
    const detail = await LL.api("POST", "/v1/consumers/payment_details", {
      credentials: credentials, type: "card", card: card.card(), billing_address: address, is_default: true,
    });
    if (detail.error) return detail;
    if (shipping && shipping.address && shipping.address.line1) {
      const a = shipping.address;
      await LL.api("POST", "/v1/consumers/shipping_addresses", {
        credentials: credentials,
        address: {
          name: shipping.name || undefined, phone: shipping.phone || undefined, line1: a.line1, line2: a.line2 || undefined,
          city: a.city, state: a.state || undefined, postal_code: a.postal_code, country: a.country,
        },
      });
    }
    return { session: session, detailId: detail.data.id };
  }

  async function confirm(payload) {
    const confirmParams = payload.confirmParams || {};
    const billing = billingDetails(payload, confirmParams);
    const checked = validate(signUpCountry(billing));
    if (checked.error) return { error: checked.error };
    const intent = intentOf(payload.clientSecret);
    const params = { client_secret: payload.clientSecret, use_stripe_sdk: "true" };
    if (confirmParams.return_url) params.return_url = confirmParams.return_url;
    if (confirmParams.expand) params.expand = confirmParams.expand;
    if (confirmParams.mandate_data) params.mandate_data = confirmParams.mandate_data;
    let signed = null;
    if (confirmParams.payment_method) {
      params.payment_method = confirmParams.payment_method;
    } else if (state.view === "link") {
      params.payment_method_data = Object.assign({
        type: "link",
        link: { credentials: { consumer_session_client_secret: state.link.session.client_secret }, payment_details_id: state.selected },
        billing_details: billing,
      }, pmExtras(confirmParams));
    } else if (optedIn()) {
      signed = await signUp(payload, billing);
      if (signed.error) return { error: signed.error };
      params.payment_method_data = Object.assign({
        type: "link",
        link: { credentials: { consumer_session_client_secret: signed.session.client_secret }, payment_details_id: signed.detailId },
        billing_details: billing,
      }, pmExtras(confirmParams));
    } else {
      params.payment_method_data = Object.assign({ type: "card", card: card.card(), billing_details: billing }, pmExtras(confirmParams));
    }
    const result = await LL.api("POST", "/v1/" + intent.kind + "_intents/" + intent.id + "/confirm", params);
    if (result.error) return { error: result.error };
    if (signed && ["succeeded", "requires_capture"].includes(result.data.status)) {
      // Paid: the customer is now a Link customer (a failed payment left no Link account behind).
      state.link.account = true;
      LL.broadcast("link-signed-up", { session: signed.session });
      setSession(signed.session);
    }
    return { intent: result.data };
  }

  function validate(country) {
    if (state.view === "link") {
      if (!state.selected) return { error: { type: "validation_error", code: "incomplete", message: "Select a payment method." } };
      return { selectedPaymentMethod: "link" };
    }
    const error = card.validate();
    if (error) return { error: error };
    if (optedIn()) {
      const problem = optInError(typeof country === "string" ? country : null);
      if (problem) {
        showOptInError(problem);
        return { error: { type: "validation_error", code: problem[1], message: problem[2] } };
      }
      return { selectedPaymentMethod: "link" };
    }
    return { selectedPaymentMethod: "card" };
  }

  LL.onBroadcast((message) => {
    if (message.kind === "address" && message.data.mode === "billing" && card) {
      state.billingElement = true;
      card.setWithAddress(false); // the billing Address Element collects the address
      publish();
    }
    if (message.kind !== "link-state") return;
    const data = message.data;
    Object.assign(state.link, { peer: true, email: data.email, complete: data.complete, account: Boolean(data.linkAccount), dismissed: Boolean(data.dismissed) });
    if (data.session && (!state.link.session || state.link.session.client_secret !== data.session.client_secret)) {
      setSession(data.session);
    } else if (!data.session && state.link.session) {
      clearSession();
    }
    refresh();
    publish();
  });

  LL.define({
    async load() {
      const secret = LL.config.clientSecret;
      if (!secret) {
        state.types = LL.config.paymentMethodTypes || ["card", "link"];
        return null;
      }
      const intent = intentOf(secret);
      const result = await LL.api("GET", "/v1/" + intent.kind + "_intents/" + intent.id, { client_secret: secret });
      if (result.error) return result;
      state.types = result.data.payment_method_types || ["card"];
      if (!state.types.includes("card") && !state.types.includes("link")) {
        return { error: { type: "invalid_request_error", message: "This Payment Element supports card and link; the intent allows " + state.types.join(", ") + "." } };
      }
      return null;
    },
    render(root) {
      card = ns.card.form(defaults(), collectAddress());
      linkView.build();
      buildOptIn();
      view.methods = buildMethods();
      root.append(view.link, el("div", {}, view.methods, view.useLink && el("div", { class: "p-UseLinkRow" }, view.useLink)), view.optIn);
      card.onInput(() => { refresh(); publish(); });
      const l = layout();
      refresh();
      publish(true); // the state at mount is not a change
      if (l.type === "accordion" && l.defaultCollapsed) setCollapsed(true);
      LL.broadcast("hello");
    },
    validate: () => validate(),
    confirm: confirm,
    collapse() {
      setCollapsed(true);
    },
    clear() {
      card.clear();
      state.optInTouched = false; // back to the default (checked for a new customer)
      refresh();
      publish();
    },
    update(next) {
      if (next.layout && view.accordionButton && typeof next.layout === "object" && "defaultCollapsed" in next.layout) {
        setCollapsed(Boolean(next.layout.defaultCollapsed));
      }
      refresh();
    },
    focus() {
      LL.focusFirst(state.view === "link" ? ".p-Link input" : "#Field-numberInput");
    },
    blur() {
      document.activeElement && document.activeElement.blur();
    },
  });
})(window.__linklabStripe = window.__linklabStripe || {});
