// German first; English when the user chose it (kept in localStorage).
const TEXT = {
  de: {
    'app.title': 'proKommun Insights', 'lang.toggle': 'English', 'logout': 'Abmelden', 'skip': 'Zum Inhalt springen',
    'login.title': 'Anmelden', 'login.key': 'API-Schlüssel', 'login.hint': 'Den Schlüssel erhalten Sie von der Stadtmarketing-Organisation. Er bleibt nur in diesem Browser-Tab gespeichert.',
    'login.submit': 'Anmelden', 'login.failed': 'Anmeldung fehlgeschlagen: ', 'login.role': 'Dieser Schlüssel gehört nicht zu einem Händler oder Betreiber.',
    'merchant.title': 'Händler-Dashboard', 'operator.title': 'Betreiber-Dashboard',
    'filters': 'Zielgruppe eingrenzen', 'f.age': 'Alter', 'f.ageFrom': 'von', 'f.ageTo': 'bis', 'f.genders': 'Geschlecht',
    'f.districts': 'Stadtteile', 'f.households': 'Haushalt', 'f.personas': 'Personas', 'f.consentOffers': 'nur mit Einwilligung in Angebote',
    'f.customerOf': 'nur meine Kundschaft', 'f.bought': 'Kaufte Kategorie', 'f.category': 'Kategorie', 'f.year': 'Jahr', 'f.none': '— keine —',
    'f.active': 'aktiv in den letzten … Tagen', 'f.reset': 'Filter zurücksetzen',
    'audience.title': 'Passende Einwohner', 'audience.noisy': 'Zum Schutz der Einwohner leicht verrauscht.',
    'audience.suppressed': 'Zu wenige Personen: Zum Schutz der Einwohner wird die genaue Zahl nicht gezeigt.',
    'audience.version': 'Datenstand', 'live': '● live', 'loading': 'wird geladen …',
    'mix.title': 'Persona-Mix: Stadt und meine Kundschaft', 'mix.city': 'Stadt', 'mix.mine': 'Meine Kundschaft',
    'affinity.title': 'Kategorie-Affinität (Lift je Persona)', 'affinity.show': 'Anzeigen', 'affinity.categories': 'Kategorien',
    'affinity.help': 'Lift 1,0 = kauft wie die Stadt; 2,0 = doppelt so häufig; leer = zu wenige Käufer.',
    'history.title': 'Produkthistorie', 'history.from': 'von Jahr', 'history.to': 'bis Jahr', 'history.buyers': 'Käufer', 'history.active': 'davon heute noch aktiv',
    'assortment.title': 'Sortiments-Check', 'assortment.years': 'Jahre zurück', 'assortment.run': 'Prüfen',
    'assortment.interested': 'Interessierte Einwohner (frühere Käufer, noch aktiv)', 'assortment.personas': 'Personas mit der höchsten Affinität',
    'budget.title': 'Mein Fragen-Budget', 'budget.day': 'heute übrig', 'budget.month': 'diesen Monat übrig', 'budget.renews': 'erneuert sich',
    'budget.exhausted': 'Das Fragen-Budget ist aufgebraucht. Es erneuert sich automatisch.',
    'table.show': 'Zahlen als Tabelle', 'col.label': 'Gruppe', 'col.value': 'Wert', 'col.year': 'Jahr',
    'pulse.title': 'Stadtpuls: aktive Einwohner je Persona (7 Tage)', 'pulse.total': 'aktiv in 7 Tagen',
    'health.title': 'Streaming-Zustand', 'health.sampled': 'gemessen', 'health.unavailable': 'Zustandsmonitor nicht erreichbar',
    'status.OK': 'in Ordnung', 'status.RED': 'Störung', 'status.UNKNOWN': 'unbekannt',
    'tile.ingestion.accepted': 'Angenommene Ereignisse/s', 'tile.ingestion.rejected': 'Abgelehnte Anfragen/s',
    'tile.kafka.lag': 'Kafka-Rückstand (Datensätze)', 'tile.flink.jobs': 'Flink-Jobs laufen', 'tile.flink.checkpoints': 'Alter letzter Checkpoint (s)',
    'tile.flink.restarts': 'Job-Neustarts', 'tile.flink.backpressure': 'Rückstau (Backpressure)', 'tile.deadletters': 'Dead Letters',
    'tile.pinot.freshness': 'Pinot-Rückstand (s)',
    'journey.title': 'Cross-Shopping und Kundenströme', 'journey.missing': 'Noch nicht verfügbar: Die Auswertung gemeinsamer Kundschaft und der Wege von Geschäft zu Geschäft (Sankey) ist noch nicht gebaut (Issue 7). Hier werden keine Zahlen geschätzt.',
    'error': 'Fehler', 'error.429': 'Budget aufgebraucht', 'none': '—',
  },
  en: {
    'app.title': 'proKommun Insights', 'lang.toggle': 'Deutsch', 'logout': 'Log out', 'skip': 'Skip to content',
    'login.title': 'Log in', 'login.key': 'API key', 'login.hint': 'You get the key from the city marketing organisation. It is kept only in this browser tab.',
    'login.submit': 'Log in', 'login.failed': 'Login failed: ', 'login.role': 'This key belongs neither to a merchant nor to the operator.',
    'merchant.title': 'Merchant dashboard', 'operator.title': 'Operator dashboard',
    'filters': 'Narrow the audience', 'f.age': 'Age', 'f.ageFrom': 'from', 'f.ageTo': 'to', 'f.genders': 'Gender',
    'f.districts': 'Districts', 'f.households': 'Household', 'f.personas': 'Personas', 'f.consentOffers': 'only with consent to offers',
    'f.customerOf': 'only my customers', 'f.bought': 'Bought category', 'f.category': 'Category', 'f.year': 'Year', 'f.none': '— none —',
    'f.active': 'active within … days', 'f.reset': 'Reset filters',
    'audience.title': 'Matching residents', 'audience.noisy': 'Slightly noisy to protect residents.',
    'audience.suppressed': 'Too few people: the exact number is withheld to protect residents.',
    'audience.version': 'Data version', 'live': '● live', 'loading': 'loading …',
    'mix.title': 'Persona mix: city and my customers', 'mix.city': 'City', 'mix.mine': 'My customers',
    'affinity.title': 'Category affinity (lift per persona)', 'affinity.show': 'Show', 'affinity.categories': 'Categories',
    'affinity.help': 'Lift 1.0 = buys like the city; 2.0 = twice as often; empty = too few buyers.',
    'history.title': 'Product history', 'history.from': 'from year', 'history.to': 'to year', 'history.buyers': 'Buyers', 'history.active': 'still active today',
    'assortment.title': 'Assortment check', 'assortment.years': 'years back', 'assortment.run': 'Check',
    'assortment.interested': 'Interested residents (earlier buyers, still active)', 'assortment.personas': 'Personas with the highest affinity',
    'budget.title': 'My question budget', 'budget.day': 'left today', 'budget.month': 'left this month', 'budget.renews': 'renews',
    'budget.exhausted': 'The question budget is used up. It renews automatically.',
    'table.show': 'Figures as a table', 'col.label': 'Group', 'col.value': 'Value', 'col.year': 'Year',
    'pulse.title': 'City pulse: active residents per persona (7 days)', 'pulse.total': 'active within 7 days',
    'health.title': 'Streaming health', 'health.sampled': 'sampled', 'health.unavailable': 'Health monitor unreachable',
    'status.OK': 'OK', 'status.RED': 'Problem', 'status.UNKNOWN': 'unknown',
    'tile.ingestion.accepted': 'Accepted events/s', 'tile.ingestion.rejected': 'Rejected requests/s',
    'tile.kafka.lag': 'Kafka lag (records)', 'tile.flink.jobs': 'Flink jobs running', 'tile.flink.checkpoints': 'Last checkpoint age (s)',
    'tile.flink.restarts': 'Job restarts', 'tile.flink.backpressure': 'Backpressure', 'tile.deadletters': 'Dead letters',
    'tile.pinot.freshness': 'Pinot lag (s)',
    'journey.title': 'Cross-shopping and customer flows', 'journey.missing': 'Not available yet: the analysis of shared customers and of flows from shop to shop (Sankey) is not built yet (issue 7). No figures are estimated here.',
    'error': 'Error', 'error.429': 'Budget used up', 'none': '—',
  },
};

export function lang() { return localStorage.getItem('lang') === 'en' ? 'en' : 'de'; }
export function t(key) { return TEXT[lang()][key] ?? TEXT.de[key] ?? key; }
export function fmt(n, digits = 0) {
  return n == null ? t('none') : new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'de-DE',
    { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

/** Fills every [data-i18n] element and wires the toggle; calls onChange after a switch. */
export function applyI18n(onChange) {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  const toggle = document.getElementById('lang-toggle');
  if (toggle && !toggle.dataset.wired) {
    toggle.dataset.wired = '1';
    toggle.addEventListener('click', () => {
      localStorage.setItem('lang', lang() === 'de' ? 'en' : 'de');
      applyI18n(onChange);
      if (onChange) onChange();
    });
  }
}
