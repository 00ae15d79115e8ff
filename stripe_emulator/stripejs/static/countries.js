/* Link Lab Stripe.js stand-in: countries, US states and Canadian provinces for the address forms
 * (registers `geo` on window.__linklabStripe; common.js explains the convention). */
(function (ns) {
  "use strict";
  if (ns.geo) return;
  const COUNTRIES = [
    ["AR", "Argentina"], ["AU", "Australia"], ["AT", "Austria"], ["BE", "Belgium"], ["BR", "Brazil"],
    ["BG", "Bulgaria"], ["CA", "Canada"], ["CL", "Chile"], ["CN", "China"], ["CO", "Colombia"],
    ["HR", "Croatia"], ["CY", "Cyprus"], ["CZ", "Czechia"], ["DK", "Denmark"], ["EE", "Estonia"],
    ["FI", "Finland"], ["FR", "France"], ["DE", "Germany"], ["GR", "Greece"], ["HK", "Hong Kong"],
    ["HU", "Hungary"], ["IS", "Iceland"], ["IN", "India"], ["ID", "Indonesia"], ["IE", "Ireland"],
    ["IL", "Israel"], ["IT", "Italy"], ["JP", "Japan"], ["LV", "Latvia"], ["LI", "Liechtenstein"],
    ["LT", "Lithuania"], ["LU", "Luxembourg"], ["MY", "Malaysia"], ["MT", "Malta"], ["MX", "Mexico"],
    ["NL", "Netherlands"], ["NZ", "New Zealand"], ["NO", "Norway"], ["PE", "Peru"], ["PH", "Philippines"],
    ["PL", "Poland"], ["PT", "Portugal"], ["RO", "Romania"], ["SG", "Singapore"], ["SK", "Slovakia"],
    ["SI", "Slovenia"], ["ZA", "South Africa"], ["KR", "South Korea"], ["ES", "Spain"], ["SE", "Sweden"],
    ["CH", "Switzerland"], ["TH", "Thailand"], ["AE", "United Arab Emirates"], ["GB", "United Kingdom"],
    ["US", "United States"], ["UY", "Uruguay"], ["VN", "Vietnam"],
  ];
  const US_STATES = [
    ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"],
    ["CO", "Colorado"], ["CT", "Connecticut"], ["DE", "Delaware"], ["DC", "District of Columbia"],
    ["FL", "Florida"], ["GA", "Georgia"], ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"],
    ["IN", "Indiana"], ["IA", "Iowa"], ["KS", "Kansas"], ["KY", "Kentucky"], ["LA", "Louisiana"],
    ["ME", "Maine"], ["MD", "Maryland"], ["MA", "Massachusetts"], ["MI", "Michigan"], ["MN", "Minnesota"],
    ["MS", "Mississippi"], ["MO", "Missouri"], ["MT", "Montana"], ["NE", "Nebraska"], ["NV", "Nevada"],
    ["NH", "New Hampshire"], ["NJ", "New Jersey"], ["NM", "New Mexico"], ["NY", "New York"],
    ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"], ["OK", "Oklahoma"], ["OR", "Oregon"],
    ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"], ["SD", "South Dakota"],
    ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"], ["VA", "Virginia"],
    ["WA", "Washington"], ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
    ["AS", "American Samoa"], ["GU", "Guam"], ["MP", "Northern Mariana Islands"], ["PR", "Puerto Rico"],
    ["VI", "U.S. Virgin Islands"], ["AA", "Armed Forces Americas"], ["AE", "Armed Forces Europe"],
    ["AP", "Armed Forces Pacific"],
  ];
  const CA_PROVINCES = [
    ["AB", "Alberta"], ["BC", "British Columbia"], ["MB", "Manitoba"], ["NB", "New Brunswick"],
    ["NL", "Newfoundland and Labrador"], ["NT", "Northwest Territories"], ["NS", "Nova Scotia"],
    ["NU", "Nunavut"], ["ON", "Ontario"], ["PE", "Prince Edward Island"], ["QC", "Quebec"],
    ["SK", "Saskatchewan"], ["YT", "Yukon"],
  ];

  /** Postal code rules: label, placeholder, pattern; countries without one collect no postal code. */
  const POSTAL = {
    US: { label: "ZIP", cardLabel: "ZIP code", placeholder: "12345", pattern: /^\d{5}(-?\d{4})?$/, noun: "ZIP", numeric: true },
    CA: { label: "Postal code", cardLabel: "Postal code", placeholder: "A1B 2C3", pattern: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, noun: "postal code" },
    GB: { label: "Postal code", cardLabel: "Postal code", placeholder: "WS11 1DB", pattern: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, noun: "postal code" },
  };
  const GENERIC_POSTAL = { label: "Postal code", placeholder: "", pattern: /^[A-Za-z0-9 -]{3,10}$/, noun: "postal code" };

  ns.geo = {
    countries: COUNTRIES,
    nameOf(code) {
      const found = COUNTRIES.find(([c]) => c === code);
      return found ? found[1] : code;
    },
    /** The country list limited to `allowed` (codes), in display order; unknown codes kept. */
    allowed(allowed) {
      if (!Array.isArray(allowed) || allowed.length === 0) return COUNTRIES;
      const upper = allowed.map((c) => String(c).toUpperCase());
      return upper.map((code) => [code, this.nameOf(code)]);
    },
    /** The administrative-area rule: null when the country has none we collect. */
    regions(country) {
      if (country === "US") return { label: "State", options: US_STATES };
      if (country === "CA") return { label: "Province", options: CA_PROVINCES };
      return null;
    },
    postal(country) {
      return POSTAL[country] || GENERIC_POSTAL;
    },
    /** Whether the card form asks for a postal code in this country (as the Payment Element does). */
    cardPostal(country) {
      return POSTAL[country] || null;
    },
    /** The country this browser's locale suggests, limited to `choices`. */
    guess(choices) {
      const lang = (navigator.language || "en-US").split("-")[1];
      const codes = choices.map(([c]) => c);
      if (lang && codes.includes(lang.toUpperCase())) return lang.toUpperCase();
      return codes.includes("US") ? "US" : codes[0];
    },
  };
})(window.__linklabStripe = window.__linklabStripe || {});
