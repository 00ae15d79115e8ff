/*
 * Link Lab Stripe.js stand-in: the Link Authentication Element (inside its iframe).
 * An email input; a known Link email opens the inline code panel (.p-Passcode) where the customer
 * types the 6-digit code sent to their phone. On success the session is shared with the group's
 * Payment and Address Elements over the group channel (never through the merchant page).
 * Wire calls: /v1/consumers/sessions/lookup, start_verification, confirm_verification.
 * Closing the panel (×) continues as a guest (the Payment Element then offers its opt-in); Enter in
 * the email, editing it, or "Log in with Link" (here or in the Payment Element) looks the email up
 * again and reopens the panel with a new code. An expired code or too many attempts need a new
 * code ("Resend code"), as the emulator requires. The code and phone number stay in this frame.
 */
(function (ns) {
  "use strict";
  const LL = ns.frame;
  const { intentOf } = ns.common;
  const el = LL.el;
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;

  const state = {
    linkEnabled: true, email: "", looked: null, exists: false, session: null, verified: false, dismissed: false,
    seq: 0, timer: null, busy: false,
  };

  const email = LL.field({
    id: "Field-emailInput", name: "email", label: "Email", type: "email",
    placeholder: "you@example.com", autocomplete: "email", inputmode: "email",
  });
  const badge = el("span", { class: "p-LinkBadge", hidden: true, "aria-label": "Signed in to Link" }, "link");
  LL.adorn(email, badge);
  const logIn = el("button", { type: "button", class: "Action p-LinkLogin", hidden: true }, "Log in with Link");

  // ---- the inline code panel ----
  const code = LL.field({
    id: "Field-linkOtpInput", name: "linkOtp", label: "Verification code", inputmode: "numeric",
    autocomplete: "one-time-code", maxLength: 6, className: "p-Passcode-field",
  });
  code.input.classList.add("p-CodeInput");
  code.input.setAttribute("pattern", "[0-9]*");
  const phone = el("strong", { class: "p-Passcode-phone" });
  const panelEmail = el("span");
  const status = el("div", { class: "p-Passcode-status", role: "status" });
  const resend = el("button", { type: "button", class: "Action" }, "Resend code");
  const changeEmail = el("button", { type: "button", class: "Action" }, "Change email");
  const close = el("button", { type: "button", class: "p-Passcode-closeTarget", "aria-label": "Close" }, "×");
  const panel = el("section", { class: "p-Passcode", "aria-labelledby": "Passcode-title", hidden: true },
    el("div", { class: "p-Passcode-inner" },
      close,
      el("span", { class: "p-Passcode-logo", "aria-hidden": "true" }, "link"),
      el("h2", { class: "p-Passcode-title", id: "Passcode-title" }, "Enter your verification code"),
      el("p", { class: "p-Passcode-body", id: "Passcode-body" }, "Enter the code sent to ", phone, " to use Link to pay by default."),
      code.wrap,
      status,
      el("div", { class: "p-Passcode-actions" }, resend),
      el("p", { class: "p-Passcode-footer" }, "Not ", panelEmail, "? ", changeEmail)));
  code.input.setAttribute("aria-describedby", "Passcode-body " + code.error.id);

  function isComplete() {
    return EMAIL.test(state.email);
  }

  function publishChange(initial) {
    LL.change({ empty: state.email === "", complete: isComplete(), value: { email: state.email } }, initial);
  }

  function share() {
    LL.broadcast("link-state", {
      email: state.email,
      complete: isComplete(),
      linkAccount: state.exists,
      dismissed: state.dismissed,
      session: state.verified ? state.session : null,
    });
  }

  function setDismissed(dismissed) {
    state.dismissed = dismissed;
    LL.show(logIn, dismissed && state.exists && !state.verified);
  }

  function setVerified(session) {
    state.session = session;
    state.verified = true;
    LL.show(panel, false);
    LL.show(badge, true);
    setDismissed(false);
    share();
  }

  function signOut(local) {
    state.session = null;
    state.verified = false;
    LL.show(badge, false);
    if (!local) share();
  }

  function openPanel(session) {
    state.session = session;
    phone.textContent = session.redacted_phone_number || "your phone";
    panelEmail.textContent = state.email;
    code.input.value = "";
    code.input.disabled = false;
    LL.setInvalid(code, "");
    status.textContent = "";
    LL.show(panel, true);
    code.input.focus();
  }

  async function lookup() {
    clearTimeout(state.timer);
    const address = state.email;
    if (!state.linkEnabled || !EMAIL.test(address) || address === state.looked) return;
    state.looked = address;
    const seq = ++state.seq;
    const result = await LL.api("POST", "/v1/consumers/sessions/lookup", {
      email_address: address,
      client_secret: LL.config.clientSecret || undefined,
    });
    if (seq !== state.seq || address !== state.email) return;
    if (result.error) {
      state.looked = null;
      state.exists = false;
      share();
      return;
    }
    state.exists = Boolean(result.data.exists);
    setDismissed(false);
    const session = result.data.consumer_session;
    if (state.exists && session) {
      const verified = (session.verification_sessions || []).some((v) => v.state === "verified");
      if (verified) setVerified(session);
      else {
        share();
        openPanel(session);
      }
    } else {
      share();
    }
  }

  function onEmailInput() {
    const value = email.input.value.trim();
    if (value === state.email) return;
    state.email = value;
    state.seq++;
    state.looked = null;
    state.exists = false;
    setDismissed(false);
    LL.show(panel, false);
    LL.setInvalid(email, "");
    if (state.verified) signOut(true);
    publishChange();
    share();
    clearTimeout(state.timer);
    if (EMAIL.test(value)) state.timer = setTimeout(lookup, 700);
  }

  async function submitCode() {
    const digits = code.input.value.replace(/\D/g, "").slice(0, 6);
    code.input.value = digits;
    if (digits.length < 6 || state.busy) return;
    state.busy = true;
    code.input.disabled = true;
    status.textContent = "";
    const result = await LL.api("POST", "/v1/consumers/sessions/confirm_verification", {
      credentials: { consumer_session_client_secret: state.session.client_secret },
      type: "SMS",
      code: digits,
    });
    state.busy = false;
    if (result.error) {
      const needsNewCode = ["consumer_verification_expired", "consumer_verification_max_attempts_exceeded"]
        .includes(result.error.code);
      code.input.value = "";
      code.input.disabled = needsNewCode;
      LL.setInvalid(code, result.error.message || "Something went wrong. Please try again.");
      if (needsNewCode) resend.focus();
      else code.input.focus();
      return;
    }
    code.input.disabled = false;
    setVerified(result.data);
  }

  async function resendCode() {
    if (!state.session || resend.disabled) return;
    resend.disabled = true;
    const result = await LL.api("POST", "/v1/consumers/sessions/start_verification", {
      credentials: { consumer_session_client_secret: state.session.client_secret },
      type: "SMS",
    });
    resend.disabled = false;
    code.input.value = "";
    if (result.error) {
      LL.setInvalid(code, result.error.message || "Something went wrong. Please try again.");
      return;
    }
    state.session = result.data;
    code.input.disabled = false;
    LL.setInvalid(code, "");
    status.textContent = "Code sent";
    code.input.focus();
  }

  email.input.addEventListener("input", onEmailInput);
  email.input.addEventListener("change", onEmailInput);
  email.input.addEventListener("blur", () => lookup());
  email.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") (state.dismissed ? reopen() : lookup());
  });
  code.input.addEventListener("input", () => {
    code.input.value = code.input.value.replace(/\D/g, "").slice(0, 6);
    if (code.input.value.length) LL.setInvalid(code, "");
    if (code.input.value.length === 6) submitCode();
  });
  resend.addEventListener("click", resendCode);
  close.addEventListener("click", () => {
    LL.show(panel, false);
    setDismissed(true);
    share(); // a guest for now: the Payment Element offers its opt-in
    email.input.focus();
  });
  /** Back into Link after closing the panel: a new lookup sends a new code and opens the panel. */
  function reopen() {
    if (state.verified || !state.linkEnabled) return;
    state.looked = null;
    lookup();
  }
  logIn.addEventListener("click", reopen);
  changeEmail.addEventListener("click", () => {
    email.input.value = "";
    onEmailInput();
    email.input.focus();
  });

  LL.onBroadcast((message) => {
    if (message.kind === "hello") share();
    if (message.kind === "link-login" && state.dismissed) reopen();
    if (message.kind === "link-logout" && state.verified) {
      signOut(true);
      state.looked = state.email; // signed out: a guest until they log in again
      setDismissed(true);
      share();
    }
    if (message.kind === "link-signed-up" && message.data.session) {
      state.exists = true;
      setVerified(message.data.session);
    }
  });

  LL.define({
    async load() {
      // Link authentication only where the intent accepts Link (deferred mode: its options say).
      const secret = LL.config.clientSecret;
      if (!secret) {
        state.linkEnabled = (LL.config.paymentMethodTypes || ["card", "link"]).includes("link");
        return null;
      }
      const intent = intentOf(secret);
      const result = await LL.api("GET", "/v1/" + intent.kind + "_intents/" + intent.id, { client_secret: secret });
      if (result.error) return result;
      state.linkEnabled = (result.data.payment_method_types || []).includes("link");
      return null;
    },
    render(root) {
      root.append(email.wrap, logIn, panel);
      publishChange(true); // the state at mount is not a change
      const initial = ((LL.options.defaultValues || {}).email || "").trim();
      if (initial) {
        email.input.value = initial;
        onEmailInput();
        lookup(); // defaultValues.email starts Link authentication at once
      }
      LL.broadcast("hello");
    },
    validate() {
      let message = "";
      if (!state.email) message = "Your email address is incomplete.";
      else if (!EMAIL.test(state.email)) message = "Your email address is invalid.";
      LL.setInvalid(email, message);
      if (message) {
        const code_ = state.email ? "email_invalid" : "incomplete_email";
        return { error: { type: "validation_error", code: code_, message: message }, value: { email: state.email } };
      }
      return { value: { email: state.email } };
    },
    clear() {
      email.input.value = "";
      onEmailInput();
    },
    update(options) {
      const next = ((options.defaultValues || {}).email || "").trim();
      if (next && !state.email) {
        email.input.value = next;
        onEmailInput();
        lookup();
      }
    },
    focus() {
      email.input.focus();
    },
    blur() {
      document.activeElement && document.activeElement.blur();
    },
  });
})(window.__linklabStripe = window.__linklabStripe || {});
