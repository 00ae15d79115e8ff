/*
 * Link Lab Stripe.js stand-in: the Payment Element's Link view (inside its iframe). A signed-in
 * Link customer sees their Link-saved payment methods (the default one selected), "Pay another
 * way" back to the card form, and "Log out of Link" in the Link menu.
 * Registers `paymentLinkView(page)` on window.__linklabStripe; needs `frame` and `card`. payment.js
 * passes `page` = {state, view, linkEnabled, refresh, publish}, the Element's shared state, and
 * gets {build, setSession, clearSession, setView}.
 */
(function (ns) {
  "use strict";
  if (ns.paymentLinkView) return;
  const LL = ns.frame;
  const el = LL.el;

  ns.paymentLinkView = function (page) {
    const { state, view } = page;

    function build() {
      const menu = el("div", { class: "p-Link-menu", role: "menu", hidden: true, "aria-label": "Link" },
        el("button", { type: "button", role: "menuitem", onclick: logOut }, "Log out of Link"));
      const menuButton = el("button", {
        type: "button", class: "p-Link-menuButton", "aria-label": "More Link options", "aria-haspopup": "menu", "aria-expanded": "false",
        onclick: () => {
          const open = menu.hidden;
          LL.show(menu, open);
          menuButton.setAttribute("aria-expanded", String(open));
          if (open) menu.querySelector("[role=menuitem]").focus();
        },
      }, "⋯");
      menu.addEventListener("keydown", (event) => {
        if (event.key === "Escape") { LL.show(menu, false); menuButton.setAttribute("aria-expanded", "false"); menuButton.focus(); }
      });
      view.linkEmail = el("span", { class: "p-Link-email" });
      view.linkList = el("div", { class: "p-Link-list", role: "radiogroup", "aria-label": "Link payment methods" });
      view.linkMenu = menu;
      view.link = el("section", { class: "p-Link", "aria-label": "Link", hidden: true },
        el("div", { class: "p-Link-header" }, el("span", { class: "p-Link-logo", "aria-hidden": "true" }, "link"), view.linkEmail, menuButton, menu),
        view.linkList,
        el("div", { class: "p-Link-footer" },
          el("button", { type: "button", class: "Action", onclick: () => setView("card") }, "Pay another way")));
      view.useLink = el("button", { type: "button", class: "Action p-UseLink", hidden: true, onclick: () => setView("link") }, "Pay with Link");
    }

    function describe(detail) {
      if (detail.type === "card" && detail.card) return ns.card.brandLabel(detail.card.brand) + " •••• " + detail.card.last4;
      if (detail.type === "bank_account" && detail.bank_account) return "Bank account ···· " + detail.bank_account.last4;
      return detail.type;
    }

    function renderLinkList() {
      view.linkEmail.textContent = state.link.email || (state.link.session && state.link.session.email_address) || "";
      view.linkList.replaceChildren(...state.details.map((detail) => {
        const input = el("input", { type: "radio", name: "linkPaymentDetails", value: detail.id, checked: detail.id === state.selected });
        input.addEventListener("change", () => { state.selected = detail.id; renderLinkList(); page.publish(); });
        return el("label", { class: "PickerItem" + (detail.id === state.selected ? " PickerItem--selected" : "") },
          input, el("span", { class: "p-PickerItem-label" }, describe(detail)),
          detail.is_default ? el("span", { class: "p-PickerItem-default" }, "Default") : null);
      }));
    }

    async function setSession(session) {
      if (!page.linkEnabled()) return;
      state.link.session = session;
      const result = await LL.api("POST", "/v1/consumers/payment_details/list", {
        credentials: { consumer_session_client_secret: session.client_secret },
      });
      if (state.link.session !== session) return;
      if (result.error) { state.link.session = null; page.refresh(); return; }
      state.details = result.data.redacted_payment_details || [];
      const chosen = state.details.find((d) => d.is_default) || state.details[0];
      state.selected = chosen ? chosen.id : null;
      renderLinkList();
      setView(state.details.length ? "link" : "card");
    }

    function clearSession() {
      state.link.session = null;
      state.details = [];
      state.selected = null;
      setView("card");
    }

    function logOut() {
      LL.show(view.linkMenu, false);
      clearSession();
      LL.broadcast("link-logout");
    }

    function setView(name) {
      state.view = name === "link" && state.details.length ? "link" : "card";
      page.refresh();
      page.publish();
    }

    return { build, setSession, clearSession, setView };
  };
})(window.__linklabStripe = window.__linklabStripe || {});
