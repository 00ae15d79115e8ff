/*
 * Link Lab Stripe.js stand-in: the Payment Element's card form (inside its iframe).
 * Card number (brand, grouping, Luhn), expiration date "MM / YY", security code, country and
 * postal code, with the Payment Element's client-side messages and `validation_error` codes.
 * The raw values stay in this iframe; payment.js reads them only to call the API.
 * Registers `card` {form, brandLabel} on window.__linklabStripe; needs `frame` and `geo`.
 */
(function (ns) {
  "use strict";
  if (ns.card) return;
  const LL = ns.frame;
  const el = LL.el;
  const geo = ns.geo;

  const BRANDS = [
    // brand, prefix test, lengths, cvc length, grouping
    ["amex", /^3[47]/, [15], 4, [4, 6, 5]],
    ["diners", /^3(0[0-5]|[689])/, [14, 16], 3, [4, 6, 4]],
    ["discover", /^6(011|5|4[4-9]|22)/, [16], 3, [4, 4, 4, 4]],
    ["jcb", /^35/, [16], 3, [4, 4, 4, 4]],
    ["unionpay", /^62/, [16, 17, 18, 19], 3, [4, 4, 4, 4, 3]],
    ["mastercard", /^(5[1-5]|2(2[2-9]|[3-6]|7[01]|720))/, [16], 3, [4, 4, 4, 4]],
    ["visa", /^4/, [16], 3, [4, 4, 4, 4]],
  ];
  const UNKNOWN = ["unknown", /^/, [16], 3, [4, 4, 4, 4]];
  const LABELS = {
    amex: "American Express", diners: "Diners Club", discover: "Discover", jcb: "JCB",
    unionpay: "UnionPay", mastercard: "Mastercard", visa: "Visa", unknown: "",
  };

  function brandOf(digits) {
    return BRANDS.find(([, pattern]) => pattern.test(digits)) || UNKNOWN;
  }

  function luhn(digits) {
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function group(digits, sizes) {
    const parts = [];
    let at = 0;
    for (const size of sizes) {
      if (at >= digits.length) break;
      parts.push(digits.slice(at, at + size));
      at += size;
    }
    if (at < digits.length) parts.push(digits.slice(at));
    return parts.join(" ");
  }

  function numberMessage(digits) {
    const [, , lengths] = brandOf(digits);
    if (!digits) return ["incomplete_number", "Your card number is incomplete."];
    if (digits.length < Math.min(...lengths)) return ["incomplete_number", "Your card number is incomplete."];
    if (!lengths.includes(digits.length) || !luhn(digits)) return ["invalid_number", "Your card number is invalid."];
    return null;
  }

  function parseExpiry(text) {
    const digits = text.replace(/\D/g, "");
    return { month: digits.slice(0, 2), year: digits.slice(2, 4), digits: digits };
  }

  function expiryMessage(text) {
    const { month, year, digits } = parseExpiry(text);
    if (digits.length < 4) return ["incomplete_expiry", "Your card’s expiration date is incomplete."];
    const m = Number(month);
    if (m < 1 || m > 12) return ["invalid_expiry_month", "Your card’s expiration date is invalid."];
    const now = new Date();
    const fullYear = 2000 + Number(year);
    if (fullYear < now.getFullYear()) return ["invalid_expiry_year_past", "Your card’s expiration year is in the past."];
    if (fullYear > now.getFullYear() + 50) return ["invalid_expiry_year", "Your card’s expiration year is invalid."];
    if (fullYear === now.getFullYear() && m < now.getMonth() + 1) {
      return ["invalid_expiry_month_past", "Your card’s expiration date is in the past."];
    }
    return null;
  }

  function formatExpiry(raw, deleting) {
    let digits = raw.replace(/\D/g, "");
    if (digits.length === 1 && Number(digits) > 1) digits = "0" + digits;
    digits = digits.slice(0, 4);
    if (digits.length < 2) return digits;
    if (digits.length === 2 && deleting) return digits;
    return digits.slice(0, 2) + " / " + digits.slice(2);
  }

  /** Build the card form. `defaults` = defaultValues.billingDetails; `withAddress` = collect country/postal. */
  function cardForm(defaults, withAddress) {
    const number = LL.field({ id: "Field-numberInput", name: "number", label: "Card number", placeholder: "1234 1234 1234 1234", autocomplete: "cc-number", inputmode: "numeric" });
    const brand = el("span", { class: "p-Input-adornment p-CardBrand", "aria-hidden": "true" });
    LL.adorn(number, brand);
    const expiry = LL.field({ id: "Field-expiryInput", name: "expiry", label: "Expiration date", placeholder: "MM / YY", autocomplete: "cc-exp", inputmode: "numeric", className: "p-Field--half" });
    const cvc = LL.field({ id: "Field-cvcInput", name: "cvc", label: "Security code", placeholder: "CVC", autocomplete: "cc-csc", inputmode: "numeric", className: "p-Field--half" });
    const choices = geo.countries;
    const country = LL.field({ id: "Field-countryInput", name: "country", label: "Country", autocomplete: "billing country", options: choices, className: "p-Field--half" });
    const postal = LL.field({ id: "Field-postalCodeInput", name: "postalCode", label: "ZIP code", autocomplete: "billing postal-code", className: "p-Field--half" });
    const address = (defaults && defaults.address) || {};
    country.input.value = address.country && choices.some(([c]) => c === address.country) ? address.country : geo.guess(choices);
    if (address.postal_code) postal.input.value = address.postal_code;
    const fields = { number: number, expiry: expiry, cvc: cvc, country: country, postal: postal };

    function localize() {
      const rule = geo.cardPostal(country.input.value);
      LL.show(postal.wrap, Boolean(withAddress && rule));
      if (rule) {
        postal.label.textContent = rule.cardLabel;
        postal.input.placeholder = rule.placeholder;
        postal.input.setAttribute("inputmode", rule.numeric ? "numeric" : "text");
      }
    }
    function setWithAddress(flag) {
      withAddress = flag;
      LL.show(country.wrap, Boolean(withAddress));
      localize();
    }
    setWithAddress(withAddress);
    country.input.addEventListener("change", () => { LL.setInvalid(postal, ""); localize(); });

    number.input.addEventListener("input", () => {
      const raw = number.input.value.replace(/\D/g, "");
      const b = brandOf(raw);
      const digits = raw.slice(0, Math.max(...b[2]));
      number.input.value = group(digits, b[4]);
      brand.textContent = digits ? LABELS[b[0]] : "";
      cvc.input.maxLength = b[3];
      LL.setInvalid(number, "");
      const message = numberMessage(digits);
      if (digits.length >= Math.max(...b[2]) && message) LL.setInvalid(number, message[1]);
      else if (!message && document.activeElement === number.input) expiry.input.focus();
    });
    expiry.input.addEventListener("input", (event) => {
      expiry.input.value = formatExpiry(expiry.input.value, (event.inputType || "").startsWith("delete"));
      LL.setInvalid(expiry, "");
      if (parseExpiry(expiry.input.value).digits.length === 4) {
        const message = expiryMessage(expiry.input.value);
        if (message) LL.setInvalid(expiry, message[1]);
        else if (document.activeElement === expiry.input) cvc.input.focus();
      }
    });
    cvc.input.addEventListener("input", () => {
      cvc.input.value = cvc.input.value.replace(/\D/g, "").slice(0, cvc.input.maxLength > 0 ? cvc.input.maxLength : 4);
      LL.setInvalid(cvc, "");
    });
    postal.input.addEventListener("input", () => LL.setInvalid(postal, ""));
    for (const field of Object.values(fields)) {
      field.input.addEventListener("blur", () => {
        if (field.input.value) LL.setInvalid(field, messageOf(field) ? messageOf(field)[1] : "");
      });
    }

    function messageOf(field) {
      const digits = number.input.value.replace(/\D/g, "");
      if (field === number) return numberMessage(digits);
      if (field === expiry) return expiryMessage(expiry.input.value);
      if (field === cvc) {
        const need = brandOf(digits)[3];
        return cvc.input.value.length < need ? ["incomplete_cvc", "Your card’s security code is incomplete."] : null;
      }
      if (field === postal) {
        const rule = geo.cardPostal(country.input.value);
        if (postal.wrap.hidden || !rule) return null;
        const value = postal.input.value.trim();
        const noun = rule.noun;
        if (!value) return ["incomplete_zip", "Your " + noun + " is incomplete."];
        return rule.pattern.test(value) ? null : ["invalid_zip", "Your " + noun + " is invalid."];
      }
      return null;
    }

    return {
      node: el("div", { class: "p-Grid p-CardForm" }, number.wrap, expiry.wrap, cvc.wrap, country.wrap, postal.wrap),
      fields: fields,
      /** Show every problem; return the first as a StripeError, or null. */
      validate() {
        let first = null;
        for (const field of [number, expiry, cvc, postal]) {
          const message = messageOf(field);
          LL.setInvalid(field, message ? message[1] : "");
          if (message && !first) {
            first = { type: "validation_error", code: message[0], message: message[1] };
            field.input.focus();
          }
        }
        return first;
      },
      numberComplete() {
        return !numberMessage(number.input.value.replace(/\D/g, ""));
      },
      complete() {
        return [number, expiry, cvc, postal].every((field) => !messageOf(field));
      },
      empty() {
        return !number.input.value && !expiry.input.value && !cvc.input.value;
      },
      /** The card as API parameters (only ever sent from this iframe). */
      card() {
        const { month, year } = parseExpiry(expiry.input.value);
        return {
          number: number.input.value.replace(/\D/g, ""),
          exp_month: Number(month),
          exp_year: 2000 + Number(year),
          cvc: cvc.input.value,
        };
      },
      billingAddress() {
        if (!withAddress) return {};
        const out = { country: country.input.value };
        if (!postal.wrap.hidden && postal.input.value.trim()) out.postal_code = postal.input.value.trim();
        return out;
      },
      country() {
        return country.input.value;
      },
      /** Hide country and postal code (e.g. a billing Address Element collects them). */
      setWithAddress: setWithAddress,
      clear() {
        for (const field of [number, expiry, cvc, postal]) { field.input.value = ""; LL.setInvalid(field, ""); }
        brand.textContent = "";
      },
      onInput(fn) {
        for (const field of Object.values(fields)) {
          field.input.addEventListener("input", fn);
          field.input.addEventListener("change", fn);
        }
      },
    };
  }

  const brandLabel = (brand) => LABELS[brand] || (brand ? brand[0].toUpperCase() + brand.slice(1) : "Card");

  ns.card = { form: cardForm, brandLabel: brandLabel };
})(window.__linklabStripe = window.__linklabStripe || {});
