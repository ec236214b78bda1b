'use strict';
// The privacy centre: a resident's own data from the resident API. The portal's token arrives in the URL
// fragment (never sent to a server, so never in a log), is kept in sessionStorage only and sent as a header.
(function () {
  const TOKEN_KEY = 'privacyCentre.token';
  const LANG_KEY = 'privacyCentre.lang';
  const POLL_MS = 1000;

  const TEXT = {
    de: {
      skip: 'Zum Inhalt springen', title: 'Ihr Datenschutz-Center', switchTo: 'English',
      intro: 'Hier sehen Sie, was über Sie gespeichert ist, welche Einwilligungen Sie gegeben haben, und Sie können Daten löschen.',
      loginTitle: 'Anmelden',
      loginHelp: 'Bitte öffnen Sie diese Seite über das Bürgerportal. Alternativ können Sie den Zugangsschlüssel aus dem Portal hier einfügen.',
      tokenLabel: 'Zugangsschlüssel aus dem Portal', loginButton: 'Anzeigen',
      profileTitle: 'Ihr Profil', profileEmpty: 'Es ist kein Profil gespeichert (zum Beispiel, weil Sie der Analyse nicht zugestimmt haben).',
      personasTitle: 'Ihre Zielgruppen – und warum',
      personasHelp: 'Aus Ihren Angaben und Einkäufen werden Sie Gruppen zugeordnet. Darunter steht, warum.',
      noPersonas: 'Sie sind derzeit keiner Zielgruppe zugeordnet.',
      consentsTitle: 'Ihre Einwilligungen', analytics: 'Analyse',
      analyticsHelp: 'Ihre Daten fließen anonym in zusammengefasste Zahlen für Handel und Stadt ein.',
      analyticsNote: 'Wenn Sie die Analyse ausschalten, wird Ihr Profil gelöscht und Sie werden in keiner Auswertung mehr gezählt. Ihre Einkäufe bleiben sichtbar, bis Sie sie löschen. Angebote und Newsletter ruhen dann ebenfalls.',
      offers: 'Angebote', offersHelp: 'Sie dürfen passende Angebote von teilnehmenden Geschäften erhalten.',
      newsletter: 'Newsletter', newsletterHelp: 'Sie erhalten den Newsletter der Stadt.',
      saveConsents: 'Einwilligungen speichern',
      recordsTitle: 'Ihre Einkäufe und Aktivitäten', recordsEmpty: 'Es sind keine Einkäufe oder Aktivitäten gespeichert.',
      deletePurchase: 'Diesen Einkauf löschen', receipt: 'Beleg', at: 'bei',
      outsideCatalogue: 'Teilnehmer außerhalb des Katalogs',
      recipientsTitle: 'Wer hat Auswertungen erhalten, in denen Sie enthalten sein könnten',
      recipientsEmpty: 'Bisher hat niemand eine Auswertung erhalten, in der Sie enthalten sein könnten.',
      askedAbout: 'Fragen zu', firstLast: 'Zeitraum',
      downloadTitle: 'Daten herunterladen', downloadHelp: 'Sie erhalten alle über Sie gespeicherten Daten als Datei.',
      exportJson: 'Alle Daten (JSON)', exportCsv: 'Einkäufe als Tabelle (CSV)', downloadReady: 'Der Download wurde gestartet.',
      eraseTitle: 'Alle meine Daten löschen',
      eraseHelp: 'Ihr Profil, Ihre Einwilligungen und alle Einkäufe werden endgültig gelöscht. Das kann nicht rückgängig gemacht werden.',
      eraseButton: 'Alle meine Daten löschen', cancel: 'Abbrechen',
      confirmPurchaseTitle: 'Einkauf löschen?', confirmPurchaseText: 'Der Einkauf vom {date} (Beleg {receipt}) wird aus allen Daten entfernt.',
      confirmPurchaseOk: 'Ja, Einkauf löschen',
      confirmErase1Title: 'Wirklich alle Daten löschen?', confirmErase1Text: 'Alle über Sie gespeicherten Daten werden gelöscht.',
      confirmErase1Ok: 'Weiter',
      confirmErase2Title: 'Letzte Bestätigung', confirmErase2Text: 'Das Löschen kann nicht rückgängig gemacht werden. Sind Sie sicher?',
      confirmErase2Ok: 'Ja, endgültig löschen',
      confirmConsentTitle: 'Analyse ausschalten?', confirmConsentOk: 'Ja, Analyse ausschalten',
      loading: 'Ihre Daten werden geladen …', pending: 'Ihre Änderung wird bearbeitet …', done: 'Ihre Änderung ist erledigt.',
      erased: 'Alle Ihre Daten wurden gelöscht.',
      unauthorized: 'Ihre Anmeldung ist abgelaufen oder ungültig. Bitte öffnen Sie das Datenschutz-Center erneut über das Portal.',
      unavailable: 'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut. Es wurde nichts geändert.',
      notFound: 'Dieser Eintrag wurde nicht gefunden – vielleicht ist er schon gelöscht.',
      failed: 'Das hat leider nicht geklappt.',
      yes: 'erfüllt', no: 'nicht erfüllt',
      f_birthYear: 'Geburtsjahr', f_age: 'Alter', f_ageBand: 'Altersgruppe', f_gender: 'Geschlecht', f_district: 'Stadtteil',
      f_householdType: 'Haushalt', f_interests: 'Interessen', f_registered: 'Registriert am', f_lastActivity: 'Letzte Aktivität',
      f_lastPurchase: 'Letzter Einkauf',
      g_FEMALE: 'weiblich', g_MALE: 'männlich', g_DIVERSE: 'divers', g_UNKNOWN: 'keine Angabe',
      h_SINGLE: 'allein lebend', h_COUPLE: 'Paar', h_FAMILY: 'Familie', h_SINGLE_PARENT: 'alleinerziehend',
      h_SHARED: 'Wohngemeinschaft', h_UNKNOWN: 'keine Angabe',
      k_purchase: 'Einkauf', 'k_card.linked': 'Karte verknüpft', 'k_bonus.earned': 'Bonuspunkte gesammelt',
      'k_bonus.redeemed': 'Bonuspunkte eingelöst', 'k_gift_voucher.sold': 'Geschenkgutschein gekauft',
      'k_gift_voucher.redeemed': 'Geschenkgutschein eingelöst', 'k_employer_voucher.credited': 'Arbeitgeber-Gutschein erhalten',
      'k_employer_voucher.redeemed': 'Arbeitgeber-Gutschein eingelöst', 'k_newsletter.subscribed': 'Newsletter abonniert',
      'k_newsletter.unsubscribed': 'Newsletter abbestellt', 'k_participant.followed': 'Geschäft gefolgt',
      'k_participant.unfollowed': 'Geschäft nicht mehr gefolgt', 'k_event.checked_in': 'Veranstaltung besucht',
      'k_campaign.delivered': 'Angebot erhalten', 'k_campaign.opened': 'Angebot geöffnet',
      r_PARTICIPANT: 'Teilnehmendes Geschäft', r_OPERATOR: 'Stadt (Betreiber)', r_participant: 'Teilnehmendes Geschäft', r_operator: 'Stadt (Betreiber)',
      p_ageFrom: 'Mindestalter', p_ageTo: 'Höchstalter', p_genders: 'Geschlecht', p_personas: 'Zielgruppen',
      p_interests: 'Interessen', p_districts: 'Stadtteile', p_householdTypes: 'Haushaltsform', p_consentOffers: 'Einwilligung in Angebote',
      p_boughtCategory: 'Einkäufe einer Warengruppe', p_customerOf: 'Kundschaft eines Geschäfts', p_activeWithinDays: 'zuletzt aktiv',
      p_breakdown: 'Aufteilung', p_period: 'Zeitraum', p_participant: 'Geschäft', p_participants: 'Geschäfte', p_category: 'Warengruppe',
      p_categories: 'Warengruppen', p_within: 'Zeitfenster', p_row: 'Zeile', p_measure: 'Kennzahl', p_level: 'Ebene', p_year: 'Jahr',
      p_month: 'Monat', p_other: 'weitere Merkmale',
      offersTitle: 'Angebote',
      offersIntro: 'Geschäfte der Stadt können Ihnen Angebote schicken, wenn Sie in Angebote eingewilligt haben. Sie erfahren nie, wer Sie sind: Das Portal stellt zu. Sie können jederzeit widersprechen (Art. 21 DSGVO), ohne Begründung; der Widerspruch gilt innerhalb von Sekunden für alle laufenden Kampagnen.',
      offersReceived: 'Angebote, die Sie erhalten haben – und warum', campaignsEmpty: 'Sie haben bisher kein Angebot erhalten.',
      objectionsTitle: 'Ihre Widersprüche', objectionsEmpty: 'Sie haben keinem Angebot widersprochen.',
      objectTitle: 'Widersprechen', objectAll: 'Allen Angeboten widersprechen',
      objectCategoryLabel: 'Angeboten zu dieser Warengruppe widersprechen', objectButton: 'Widersprechen',
      objectParticipant: 'Keine Angebote mehr von {who}', received: 'erhalten am {date}', from: 'von',
      offerStopped: 'Gestoppt: Sie haben widersprochen. Das Portal zieht das Angebot zurück.',
      scopeAll: 'Alle Angebote', scopeParticipant: 'Angebote von {who}', scopeCategory: 'Angebote zur Warengruppe {what}',
      liftObjection: 'Widerspruch aufheben',
      none: '–'
    },
    en: {
      skip: 'Skip to content', title: 'Your privacy centre', switchTo: 'Deutsch',
      intro: 'See what is stored about you and which consents you gave, and delete data.',
      loginTitle: 'Sign in',
      loginHelp: 'Please open this page from the citizen portal. Alternatively paste the access key from the portal here.',
      tokenLabel: 'Access key from the portal', loginButton: 'Show',
      profileTitle: 'Your profile', profileEmpty: 'No profile is stored (for example because you did not consent to analytics).',
      personasTitle: 'Your audiences – and why',
      personasHelp: 'Your details and purchases place you in groups. The reasons are listed below each.',
      noPersonas: 'You currently belong to no audience.',
      consentsTitle: 'Your consents', analytics: 'Analytics',
      analyticsHelp: 'Your data counts anonymously in aggregate figures for shops and the city.',
      analyticsNote: 'If you turn analytics off, your profile is deleted and you are no longer counted in any figure. Your purchases stay visible until you delete them. Offers and the newsletter pause as well.',
      offers: 'Offers', offersHelp: 'Participating shops may send you suitable offers.',
      newsletter: 'Newsletter', newsletterHelp: 'You receive the city newsletter.',
      saveConsents: 'Save consents',
      recordsTitle: 'Your purchases and activities', recordsEmpty: 'No purchases or activities are stored.',
      deletePurchase: 'Delete this purchase', receipt: 'Receipt', at: 'at',
      outsideCatalogue: 'Participant outside the catalogue',
      recipientsTitle: 'Who received figures that could have included you',
      recipientsEmpty: 'Nobody has received a figure that could have included you yet.',
      askedAbout: 'Questions about', firstLast: 'Period',
      downloadTitle: 'Download your data', downloadHelp: 'You get all data stored about you as a file.',
      exportJson: 'All data (JSON)', exportCsv: 'Purchases as a table (CSV)', downloadReady: 'The download has started.',
      eraseTitle: 'Delete all my data',
      eraseHelp: 'Your profile, consents and all purchases are deleted for good. This cannot be undone.',
      eraseButton: 'Delete all my data', cancel: 'Cancel',
      confirmPurchaseTitle: 'Delete purchase?', confirmPurchaseText: 'The purchase of {date} (receipt {receipt}) is removed from all data.',
      confirmPurchaseOk: 'Yes, delete purchase',
      confirmErase1Title: 'Really delete all data?', confirmErase1Text: 'All data stored about you will be deleted.',
      confirmErase1Ok: 'Continue',
      confirmErase2Title: 'Final confirmation', confirmErase2Text: 'Deleting cannot be undone. Are you sure?',
      confirmErase2Ok: 'Yes, delete for good',
      confirmConsentTitle: 'Turn analytics off?', confirmConsentOk: 'Yes, turn analytics off',
      loading: 'Loading your data …', pending: 'Your change is being processed …', done: 'Your change is done.',
      erased: 'All your data has been deleted.',
      unauthorized: 'Your sign-in has expired or is invalid. Please open the privacy centre again from the portal.',
      unavailable: 'The service is unavailable right now. Please try again in a few minutes. Nothing was changed.',
      notFound: 'This entry was not found – perhaps it is already deleted.',
      failed: 'Sorry, that did not work.',
      yes: 'met', no: 'not met',
      f_birthYear: 'Year of birth', f_age: 'Age', f_ageBand: 'Age group', f_gender: 'Gender', f_district: 'District',
      f_householdType: 'Household', f_interests: 'Interests', f_registered: 'Registered on', f_lastActivity: 'Last activity',
      f_lastPurchase: 'Last purchase',
      g_FEMALE: 'female', g_MALE: 'male', g_DIVERSE: 'diverse', g_UNKNOWN: 'not stated',
      h_SINGLE: 'living alone', h_COUPLE: 'couple', h_FAMILY: 'family', h_SINGLE_PARENT: 'single parent',
      h_SHARED: 'shared flat', h_UNKNOWN: 'not stated',
      k_purchase: 'Purchase', 'k_card.linked': 'Card linked', 'k_bonus.earned': 'Bonus points earned',
      'k_bonus.redeemed': 'Bonus points redeemed', 'k_gift_voucher.sold': 'Gift voucher bought',
      'k_gift_voucher.redeemed': 'Gift voucher redeemed', 'k_employer_voucher.credited': 'Employer voucher received',
      'k_employer_voucher.redeemed': 'Employer voucher redeemed', 'k_newsletter.subscribed': 'Newsletter subscribed',
      'k_newsletter.unsubscribed': 'Newsletter unsubscribed', 'k_participant.followed': 'Shop followed',
      'k_participant.unfollowed': 'Shop unfollowed', 'k_event.checked_in': 'Event attended',
      'k_campaign.delivered': 'Offer received', 'k_campaign.opened': 'Offer opened',
      r_PARTICIPANT: 'Participating shop', r_OPERATOR: 'City (operator)', r_participant: 'Participating shop', r_operator: 'City (operator)',
      p_ageFrom: 'minimum age', p_ageTo: 'maximum age', p_genders: 'gender', p_personas: 'audiences',
      p_interests: 'interests', p_districts: 'districts', p_householdTypes: 'household type', p_consentOffers: 'consent to offers',
      p_boughtCategory: 'purchases of a category', p_customerOf: 'customers of a shop', p_activeWithinDays: 'recently active',
      p_breakdown: 'breakdown', p_period: 'period', p_participant: 'shop', p_participants: 'shops', p_category: 'category',
      p_categories: 'categories', p_within: 'time window', p_row: 'row', p_measure: 'measure', p_level: 'level', p_year: 'year',
      p_month: 'month', p_other: 'further characteristics',
      offersTitle: 'Offers',
      offersIntro: 'Shops of the city may send you offers if you consented to offers. They never learn who you are: the portal delivers. You can object at any time (Art. 21 GDPR) without giving a reason; the objection takes effect for every running campaign within seconds.',
      offersReceived: 'Offers you received – and why', campaignsEmpty: 'You have not received any offer yet.',
      objectionsTitle: 'Your objections', objectionsEmpty: 'You have not objected to any offers.',
      objectTitle: 'Object', objectAll: 'Object to all offers',
      objectCategoryLabel: 'Object to offers about this category', objectButton: 'Object',
      objectParticipant: 'No more offers from {who}', received: 'received on {date}', from: 'from',
      offerStopped: 'Stopped: you objected. The portal withdraws the offer.',
      scopeAll: 'All offers', scopeParticipant: 'Offers from {who}', scopeCategory: 'Offers about the category {what}',
      liftObjection: 'Lift objection',
      none: '–'
    }
  };

  let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'de';
  let person = null;
  let campaigns = [];
  const $ = id => document.getElementById(id);

  function t(key, vars) {
    let s = TEXT[lang][key] ?? TEXT.de[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replace('{' + k + '}', v);
    return s;
  }
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) if (c != null) e.append(c);
    return e;
  }
  const date = iso => iso ? new Date(iso).toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB') : t('none');
  // Display names of the city's ids (issue 16: no raw id on the page): the resident API sends the German and
  // English names of the categories, participants and interests that occur in the person's data (a participant
  // outside the catalogue as such), and the persona names with each persona; a category or interest without a name
  // is shown as it is (a freely declared interest is the resident's own word), a participant the API did not name as
  // outside the catalogue, never by its id.
  const labels = () => (person && person.labels) || {};
  const named = l => l ? (l[lang] || l.de) : null;
  const categoryName = id => named((labels().categories || {})[id]) || id;
  const participantName = id => named((labels().participants || {})[id]) || t('outsideCatalogue');
  const interestName = id => named((labels().interests || {})[id]) || id;
  const parameterName = key => TEXT[lang]['p_' + key] ?? TEXT.de['p_' + key] ?? t('p_other');
  const euro = cents => (cents / 100).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', {style: 'currency', currency: 'EUR'});

  // ---- token --------------------------------------------------------------------------------------------
  /** Takes a token from the address's fragment into the session; returns whether there was one. */
  function takeTokenFromFragment() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
    }
    return !!m;
  }
  const token = () => sessionStorage.getItem(TOKEN_KEY);

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }
  async function api(method, path, body) {
    const headers = {Authorization: 'Bearer ' + token()};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store'});
    if (!r.ok) {
      let message = '';
      try { message = (await r.json()).error.message; } catch (e) { /* no JSON body */ }
      throw new ApiError(r.status, message);
    }
    return r;
  }

  // ---- messages -----------------------------------------------------------------------------------------
  function status(text, state) {
    const s = $('status');
    s.textContent = text || '';
    s.dataset.state = state || '';
  }
  function showError(e) {
    const box = $('error');
    const key = e.status === 401 ? 'unauthorized' : e.status === 503 ? 'unavailable' : e.status === 404 ? 'notFound' : 'failed';
    box.textContent = t(key) + (key === 'failed' && e.message ? ' (' + e.message + ')' : '');
    box.hidden = false;
    if (e.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      $('content').hidden = true;
      $('login').hidden = false;
    }
  }
  const clearError = () => { $('error').hidden = true; $('error').textContent = ''; };

  // ---- loading and rendering ----------------------------------------------------------------------------
  async function load() {
    if (!token()) { $('login').hidden = false; $('content').hidden = true; return; }
    clearError();
    try {
      person = await (await api('GET', '/api/v1/me')).json();
      // the offers are a part of the page: when they cannot be read, the rest is still shown
      campaigns = await api('GET', '/api/v1/me/campaigns').then(r => r.json()).then(b => b.campaigns || [], () => []);
      $('login').hidden = true;
      $('content').hidden = false;
      render();
    } catch (e) {
      showError(e);
    }
  }

  function render() {
    if (!person) return;
    renderProfile();
    renderConsents();
    renderRecords();
    renderRecipients();
    renderOffers();
  }

  function renderProfile() {
    const list = $('profile-list');
    list.replaceChildren();
    const p = person.profile;
    $('profile-empty').hidden = !!p;
    if (p) {
      const value = {
        gender: v => t('g_' + v), householdType: v => t('h_' + v), interests: v => v.length ? v.map(interestName).join(', ') : t('none'),
        registered: date, lastActivity: date, lastPurchase: date
      };
      for (const f of ['birthYear', 'age', 'ageBand', 'gender', 'district', 'householdType', 'interests', 'registered',
        'lastActivity', 'lastPurchase']) {
        const v = p[f];
        list.append(el('dt', {textContent: t('f_' + f)}),
          el('dd', {textContent: v == null ? t('none') : (value[f] ? value[f](v) : String(v))}));
      }
    }
    const personas = $('persona-list');
    personas.replaceChildren();
    for (const persona of person.personas || []) {
      const reasons = el('ul', {className: 'reasons'});
      for (const r of persona.reasons || []) {
        const li = el('li', {textContent: (r[lang] || r.de) + (r.holds == null ? '' : ' – ' + t(r.holds ? 'yes' : 'no'))});
        li.dataset.holds = String(r.holds);
        reasons.append(li);
      }
      const item = el('li', {}, el('strong', {textContent: named(persona.label) || persona.persona}), reasons);
      item.dataset.persona = persona.persona;
      personas.append(item);
    }
    if (!personas.children.length) personas.append(el('li', {textContent: t('noPersonas')}));
  }

  function renderConsents() {
    for (const c of ['analytics', 'offers', 'newsletter']) $('consent-' + c).checked = !!(person.consents || {})[c];
  }

  function renderRecords() {
    const list = $('record-list');
    list.replaceChildren();
    const records = (person.records || []).slice().sort((a, b) => b.eventTime.localeCompare(a.eventTime));
    $('records-empty').hidden = records.length > 0;
    for (const r of records) {
      const what = el('div', {className: 'what'},
        el('strong', {textContent: t('k_' + r.kind)}), ' ', date(r.eventTime), ' ', t('at'), ' ', participantName(r.participant));
      if (r.kind === 'purchase') {
        const facts = [];
        if (r.amountCents != null) facts.push(euro(r.amountCents));
        if (r.receipt) facts.push(t('receipt') + ' ' + r.receipt);
        if (r.categories && r.categories.length) facts.push(r.categories.map(categoryName).join(', '));
        what.append(el('div', {className: 'hint', textContent: facts.join(' · ')}));
      }
      const item = el('li', {className: 'record'}, what);
      item.dataset.kind = r.kind;
      if (r.kind === 'purchase' && r.receipt) {
        item.dataset.receipt = r.receipt;
        const button = el('button', {type: 'button', className: 'danger delete-purchase', textContent: t('deletePurchase')});
        button.setAttribute('aria-label', t('deletePurchase') + ': ' + date(r.eventTime) + ', ' + t('receipt') + ' ' + r.receipt);
        button.addEventListener('click', () => deletePurchase(r, button));
        item.append(button);
      }
      list.append(item);
    }
  }

  function renderRecipients() {
    const rec = person.recipients || {};
    $('recipients-note').textContent = rec.note ? (rec.note[lang] || rec.note.de) : '';
    const list = $('recipient-list');
    list.replaceChildren();
    const askers = rec.askers || [];
    $('recipients-empty').hidden = askers.length > 0;
    for (const a of askers) {
      const about = [...new Set((a.filtersUsed || []).map(parameterName)), ...(a.categories || []).map(categoryName)];
      list.append(el('li', {},
        el('strong', {textContent: participantName(a.participant)}), ' (' + t('r_' + a.role) + ')',
        about.length ? el('div', {className: 'hint', textContent: t('askedAbout') + ': ' + about.join(', ')}) : null,
        el('div', {className: 'hint', textContent: t('firstLast') + ': ' + date(a.firstAnswer) + ' – ' + date(a.lastAnswer)})));
    }
  }

  // ---- offers: what reached me, why, and my objections (DSGVO Art. 21) --------------------------------------
  // A campaign names its sender (the API's label); otherwise a participant is named from the person's labels.
  function senderName(id) {
    const c = campaigns.find(x => x.participant === id && x.from);
    return c ? named(c.from) : participantName(id);
  }
  function scopeName(scope) {
    if (scope === 'all') return t('scopeAll');
    if (scope.startsWith('participant:')) return t('scopeParticipant', {who: senderName(scope.slice('participant:'.length))});
    if (scope.startsWith('category:')) return t('scopeCategory', {what: categoryName(scope.slice('category:'.length))});
    return scope;
  }
  function renderOffers() {
    const objections = person.objections || [];
    const list = $('campaign-list');
    list.replaceChildren();
    $('campaigns-empty').hidden = campaigns.length > 0;
    for (const c of campaigns) {
      const scope = 'participant:' + c.participant;
      const item = el('li', {className: 'campaign'},
        el('div', {},
          el('strong', {textContent: c.title || ''}), ' ', t('from'), ' ', named(c.from) || participantName(c.participant),
          el('div', {className: 'hint', textContent: t('received', {date: date(c.deliveredAt)})}),
          el('div', {className: 'why', textContent: named(c.why) || ''})));
      item.dataset.participant = c.participant;
      item.dataset.campaign = c.campaign || '';
      if (stopped(c)) {
        // objected to: the campaign job withdraws it within seconds, then the API no longer lists it
        item.dataset.stopped = 'true';
        item.firstChild.append(el('div', {className: 'stopped', textContent: t('offerStopped')}));
      } else {
        const button = el('button', {type: 'button', className: 'secondary object-participant',
          textContent: t('objectParticipant', {who: named(c.from) || participantName(c.participant)})});
        button.addEventListener('click', () => object(scope, button));
        item.append(button);
      }
      list.append(item);
    }
    const standing = $('objection-list');
    standing.replaceChildren();
    $('objections-empty').hidden = objections.length > 0;
    for (const scope of objections) {
      const button = el('button', {type: 'button', className: 'secondary lift-objection', textContent: t('liftObjection')});
      button.setAttribute('aria-label', t('liftObjection') + ': ' + scopeName(scope));
      button.addEventListener('click', () => liftObjection(scope, button));
      const item = el('li', {}, el('span', {textContent: scopeName(scope)}), button);
      item.dataset.scope = scope;
      standing.append(item);
    }
    $('object-all').hidden = objections.includes('all');
    // the categories the person's data names (the resident API names no others)
    const select = $('object-category');
    const ids = Object.keys(labels().categories || {}).filter(id => !objections.includes('category:' + id));
    select.replaceChildren(...ids.map(id => el('option', {value: id, textContent: categoryName(id)})));
    $('object-category-form').hidden = ids.length === 0;
  }
  /** An offer the person objected to (its sender or all offers): stopped, to be withdrawn. */
  function stopped(c) {
    const objections = person.objections || [];
    return objections.includes('all') || objections.includes('participant:' + c.participant);
  }
  async function object(scope, button) {
    if (button) button.disabled = true;
    if (await change('POST', '/api/v1/me/objections', {scope})) {
      await load();
      await awaitWithdrawals();
    }
    if (button) button.disabled = false;
  }
  /** Reads the offers again until every stopped one is withdrawn (the campaign job takes seconds), for a minute at most. */
  async function awaitWithdrawals() {
    for (let i = 0; i < 30 && campaigns.some(stopped); i++) {
      await new Promise(resolve => setTimeout(resolve, 2000));
      campaigns = await api('GET', '/api/v1/me/campaigns').then(r => r.json()).then(b => b.campaigns || [], () => campaigns);
      renderOffers();
    }
  }
  async function liftObjection(scope, button) {
    button.disabled = true;
    if (await change('DELETE', '/api/v1/me/objections/' + encodeURIComponent(scope))) await load();
    else button.disabled = false;
  }

  // ---- changes ------------------------------------------------------------------------------------------
  function confirmDialog(title, text, ok) {
    const d = $('confirm-dialog');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = ok;
    return new Promise(resolve => {
      d.addEventListener('close', () => resolve(d.returnValue === 'ok'), {once: true});
      d.returnValue = '';
      d.showModal();
      $('confirm-cancel').focus(); // the safe choice has the focus
    });
  }

  /** Sends a change and polls its request until it has taken effect everywhere; then reloads. */
  async function change(method, path, body, after) {
    clearError();
    status(t('pending'), 'pending');
    let accepted;
    try {
      accepted = await (await api(method, path, body)).json();
    } catch (e) {
      status('');
      showError(e);
      return false;
    }
    for (;;) {
      await new Promise(r => setTimeout(r, POLL_MS));
      try {
        const s = await (await api('GET', '/api/v1/me/requests/' + encodeURIComponent(accepted.requestId))).json();
        if (s.status === 'done') break;
      } catch (e) {
        if (e.status === 401 || e.status === 404) { status(''); showError(e); return false; }
        // transient: keep polling
      }
    }
    status(t(after || 'done'), 'done');
    return true;
  }

  async function deletePurchase(r, button) {
    const ok = await confirmDialog(t('confirmPurchaseTitle'),
      t('confirmPurchaseText', {date: date(r.eventTime), receipt: r.receipt}), t('confirmPurchaseOk'));
    if (!ok) { button.focus(); return; }
    button.disabled = true;
    const path = '/api/v1/me/purchases/' + encodeURIComponent(r.receipt) + '?participant=' + encodeURIComponent(r.participant);
    if (await change('DELETE', path)) await load(); else button.disabled = false;
  }

  async function saveConsents(event) {
    event.preventDefault();
    const body = {
      analytics: $('consent-analytics').checked, offers: $('consent-offers').checked, newsletter: $('consent-newsletter').checked
    };
    if (person.consents.analytics && !body.analytics
      && !await confirmDialog(t('confirmConsentTitle'), t('analyticsNote'), t('confirmConsentOk'))) {
      renderConsents();
      return;
    }
    $('consent-save').disabled = true;
    if (await change('PUT', '/api/v1/me/consents', body)) await load();
    $('consent-save').disabled = false;
  }

  async function eraseAll() {
    if (!await confirmDialog(t('confirmErase1Title'), t('confirmErase1Text'), t('confirmErase1Ok'))) return;
    if (!await confirmDialog(t('confirmErase2Title'), t('confirmErase2Text'), t('confirmErase2Ok'))) return;
    $('erase-all').disabled = true;
    if (await change('DELETE', '/api/v1/me', undefined, 'erased')) {
      await load();
      status(t('erased'), 'done');
    }
    $('erase-all').disabled = false;
  }

  async function download(format) {
    clearError();
    try {
      const r = await api('GET', '/api/v1/me/export?format=' + format);
      const url = URL.createObjectURL(await r.blob());
      const a = el('a', {href: url, download: 'meine-daten.' + format});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status(t('downloadReady'), 'done');
    } catch (e) {
      showError(e);
    }
  }

  // ---- language -----------------------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t('title');
    for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
    const toggle = $('lang-toggle');
    toggle.textContent = t('switchTo');
    toggle.lang = lang === 'de' ? 'en' : 'de';
    render();
  }

  document.addEventListener('DOMContentLoaded', () => {
    takeTokenFromFragment();
    // the portal may open the centre again with another resident's token (a shared device, the demo portal): the
    // page is already loaded then, so only the fragment changes
    window.addEventListener('hashchange', () => {
      if (!takeTokenFromFragment()) return;
      person = null;
      load();
    });
    $('lang-toggle').addEventListener('click', () => {
      lang = lang === 'de' ? 'en' : 'de';
      localStorage.setItem(LANG_KEY, lang);
      applyLanguage();
    });
    $('login-form').addEventListener('submit', e => {
      e.preventDefault();
      const input = $('token-input');
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      input.value = '';
      load();
    });
    $('consent-form').addEventListener('submit', saveConsents);
    $('erase-all').addEventListener('click', eraseAll);
    $('object-all').addEventListener('click', () => object('all', $('object-all')));
    $('object-category-form').addEventListener('submit', e => {
      e.preventDefault();
      if ($('object-category').value) object('category:' + $('object-category').value, $('object-category-submit'));
    });
    $('export-json').addEventListener('click', () => download('json'));
    $('export-csv').addEventListener('click', () => download('csv'));
    applyLanguage();
    status(token() ? t('loading') : '');
    load().then(() => { if ($('status').dataset.state === '') status(''); });
  });
})();
