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
    'f.active': 'aktiv in den letzten … Tagen', 'f.activeHint': '7, 30, 90 oder 365 Tage: aus der Stadtstatistik (kostenlos)', 'f.reset': 'Filter zurücksetzen',
    'audience.title': 'Passende Einwohner', 'audience.noisy': 'Zum Schutz der Einwohner leicht verrauscht.',
    'audience.suppressed': 'Zu wenige Personen: Zum Schutz der Einwohner wird die genaue Zahl nicht gezeigt.',
    'audience.version': 'Datenstand', 'live': '● live', 'loading': 'wird geladen …',
    'mix.title': 'Persona-Mix: Stadt und meine Kundschaft', 'mix.city': 'Stadt', 'mix.mine': 'Meine Kundschaft',
    'mix.mineOf': 'Meine Kundschaft {m}',
    'mix.minePublished': '„Meine Kundschaft“: Ihre Kundinnen und Kunden im {m} (letzter voller Monat) je Persona, aus der Stadtstatistik vom {d} – kostenlos, nur für Sie und den Betreiber sichtbar. Das Rauschen der Stadtstatistik macht kleine Werte ungenau.',
    'mix.minePartial': '„Meine Kundschaft“: Ihre Kundinnen und Kunden im {m} bis zum Datenstand der Stadtstatistik vom {d} (laufender Monat) – kostenlos, nur für Sie und den Betreiber sichtbar.',
    'mix.mineAdhoc': '„Meine Kundschaft“: Ihre Kundinnen und Kunden im {m} als Einzelfrage (noch keine Stadtstatistik) – kostet Fragen-Budget.',
    'affinity.title': 'Kategorie-Affinität (Lift je Persona)', 'affinity.show': 'Anzeigen', 'affinity.categories': 'Kategorien',
    'affinity.help': 'Lift 1,0 = kauft wie die Stadt; 2,0 = doppelt so häufig; leer = zu wenige Käufer.',
    'history.title': 'Produkthistorie', 'history.from': 'von Jahr', 'history.to': 'bis Jahr', 'history.buyers': 'Käufer', 'history.active': 'davon heute noch aktiv',
    'assortment.title': 'Sortiments-Check', 'assortment.years': 'Jahre zurück', 'assortment.run': 'Prüfen',
    'assortment.interested': 'Interessierte Einwohner (frühere Käufer, noch aktiv)', 'assortment.personas': 'Personas mit der höchsten Affinität',
    'budget.title': 'Mein Fragen-Budget', 'budget.day': 'heute übrig', 'budget.month': 'diesen Monat übrig', 'budget.renews': 'erneuert sich',
    'budget.exhausted': 'Das Fragen-Budget ist aufgebraucht. Es erneuert sich automatisch.',
    'budget.cityCap': 'Obergrenze je Einwohner (Stadt, Monat)', 'budget.cityLeft': 'davon noch frei',
    'budget.adHocLeft': 'mein Anteil für Einzelfragen übrig',
    'budget.adHocNow': 'davon jetzt verfügbar', 'budget.nextPortion': '(mehr ab {d})',
    'audience.published': 'Aus der Stadtstatistik vom {d}: kostenlos, für alle gleich.',
    'audience.adhoc': 'Einzelfrage: kostet Fragen-Budget.',
    'table.show': 'Zahlen als Tabelle', 'col.label': 'Gruppe', 'col.value': 'Wert', 'col.year': 'Jahr',
    'pulse.title': 'Stadtpuls: aktive Einwohner je Persona (7 Tage)', 'pulse.total': 'aktiv in 7 Tagen', 'pulse.published': 'Aus der Stadtstatistik, Datenstand {d} (kostenlos, für alle gleich).',
    'health.title': 'Streaming-Zustand', 'health.sampled': 'gemessen', 'health.unavailable': 'Zustandsmonitor nicht erreichbar',
    'status.OK': 'in Ordnung', 'status.RED': 'Störung', 'status.UNKNOWN': 'unbekannt',
    'tile.ingestion.accepted': 'Angenommene Ereignisse/s', 'tile.ingestion.rejected': 'Abgelehnte Anfragen/s',
    'tile.kafka.lag': 'Kafka-Rückstand (Datensätze)', 'tile.flink.jobs': 'Flink-Jobs laufen', 'tile.flink.checkpoints': 'Alter letzter Checkpoint (s)',
    'tile.flink.restarts': 'Job-Neustarts', 'tile.flink.backpressure': 'Rückstau (Backpressure)', 'tile.deadletters': 'Dead Letters',
    'tile.pinot.freshness': 'Sichtbar nach Annahme (s)', 'tile.cards.waiting': 'Karten-Ereignisse warten auf Verknüpfung',
    'tile.trend': 'Verlauf der letzten 15 Minuten',
    'journey.title': 'Kundenwege in der Stadt: Auswahl', 
    'j.intro': 'Wählen Sie Zeitraum und bis zu 8 Teilnehmer und klicken Sie auf „Auswerten“. Jede Auswertung kostet Fragen-Budget und wird deshalb nur auf Knopfdruck berechnet; dieselbe Frage im selben Datenstand kostet nichts.',
    'j.segmentHelp': 'Segment (optional): nur Einwohner dieser Persona, Altersgruppe oder dieses Stadtteils; gilt für gemeinsame Kundschaft sowie Wochentag und Uhrzeit.',
    'j.periodKind': 'Zeitraum', 'j.month': 'Monat', 'j.year': 'Jahr', 'j.segPersona': 'Persona', 'j.segAge': 'Altersgruppe', 'j.segDistrict': 'Wohn-Stadtteil',
    'j.everyone': '— alle —', 'j.nodes': 'Teilnehmer (höchstens 8)', 'j.run': 'Auswerten', 'j.picked': '{n} von höchstens {max} gewählt',
    'j.pickTwo': 'Bitte mindestens 2 auswählen: {field}.',
    'j.noisy': 'Alle Zahlen sind zum Schutz der Einwohner leicht verrauscht.', 'j.suppressed': '„—“ = zu wenige Personen: die Zahl wird zum Schutz nicht gezeigt.',
    'j.repeated': 'Diese Frage wurde in diesem Datenstand schon gestellt und kostete nichts.', 'j.cost': 'Diese Auswertung kostete {e} ε Fragen-Budget.', 'j.left': 'Heute übrig: {e} ε.',
    'j.alsoAt': 'kaufen auch bei …', 'j.pair': 'Kundschaft von → auch bei', 'j.shared': 'gemeinsame Kunden', 'j.customersOfA': 'Kunden von A', 'j.share': 'Anteil',
    'j.residents': 'Einwohner', 'j.noFlows': 'Keine Wege mit genug Personen für diese Auswahl.', 'j.flow': 'Weg', 'j.visits': 'Besuche', 'j.hour': 'Uhrzeit',
    'j.spend': 'Umsatz', 'j.district': 'Stadtteil', 'j.noVouchers': 'Keine eingelösten Gutscheine mit genug Personen in diesem Zeitraum.', 'j.participant': 'Teilnehmer', 'j.noRows': 'Keine Zahlen für diesen Zeitraum.',
    'cross.title': 'Gemeinsame Kundschaft (Cross-Shopping)', 'cross.question': 'Wie viele Kundinnen und Kunden von A kaufen auch bei B?',
    'cross.help': 'Zeile = Geschäft A, Spalte = Geschäft B. 40 % heißt: 4 von 10 Kunden von A haben im Zeitraum auch bei B gekauft.',
    'flows.title': 'Kundenströme (Sankey)', 'flows.question': 'Wohin gehen Kundinnen und Kunden als Nächstes?',
    'flows.level': 'Knoten', 'flows.byParticipant': 'Teilnehmer', 'flows.byCategory': 'Kategorien', 'flows.within': 'nächster Besuch innerhalb',
    'flows.1h': '1 Stunde', 'flows.24h': '24 Stunden', 'flows.7d': '7 Tagen', 'flows.30d': '30 Tagen', 'flows.categories': 'Kategorien (höchstens 8)',
    'flows.help': 'Links: wo Einwohner einkauften; rechts: wo sie als Nächstes einkauften. Je breiter das Band, desto mehr Einwohner gingen diesen Weg.',
    'when.title': 'Wann und wo eingekauft wird', 'when.question': 'An welchen Tagen, zu welchen Uhrzeiten und in welchen Stadtteilen sind die Geschäfte besucht?',
    'when.heat': 'Besuche nach Wochentag und Uhrzeit', 'when.places': 'Besuche und Umsatz je Stadtteil',
    'v.run': 'Gutscheine auswerten', 'v.runNote': 'Eigener Knopf: Die Gutscheinauswertung stellt 13 Fragen auf einmal (Betreiber: 3,25 ε vom Tagesbudget).',
    'v.title': 'Gutschein-Kreislauf', 'v.question': 'Wo werden Gutscheine gekauft, wo eingelöst – und bleibt das Geld in der Stadt?',
    'v.gift': 'Geschenkgutscheine', 'v.employerTitle': 'Arbeitgeber-Gutscheine (Sachbezug)', 'v.bonusTitle': 'Bonuspunkte',
    'v.redemptionRate': 'eingelöst (Anteil am verkauften Wert)', 'v.local': 'davon in der Stadt ausgegeben', 'v.sold': 'verkauft', 'v.soldValue': 'Wert verkauft',
    'v.redeemed': 'eingelöst', 'v.redeemedValue': 'Wert eingelöst', 'v.meanDays': 'Tage bis zur Einlösung (Mittel)', 'v.employer': 'Arbeitgeber',
    'v.topLinks': 'Gezeigt: die {n} größten von {m} veröffentlichten Verbindungen; alle in der Tabelle darunter.',
    'v.pair': 'verkauft bei → eingelöst bei', 'v.allRows': 'Alle {n} Zeilen mit veröffentlichten Zahlen',
    'v.withheldRows': '{n} Zeilen ohne veröffentlichte Zahl (zu wenige Personen) sind ausgeblendet.',
    'v.credited': 'gutgeschrieben', 'v.spent': 'ausgegeben', 'v.rate': 'Einlösequote', 'v.spentAt': 'ausgegeben bei', 'v.earned': 'gesammelt', 'v.redeemedPoints': 'eingelöst',
    'e.title': 'Vom Newsletter zum Einkauf', 'e.question': 'Kaufen Einwohner, die einem Geschäft folgen oder seinen Newsletter abonnieren, innerhalb von 30 Tagen dort ein?',
    'e.monthOnly': 'Immer für einen Monat (bei Jahresauswahl der gewählte Monat).', 'e.engaged': 'Abonnenten und Follower', 'e.baseline': 'vergleichbare Einwohner',
    'e.sentence': '{engaged} Einwohner folgten {who} oder abonnierten den Newsletter; {buyers} davon kauften innerhalb von 30 Tagen dort ein ({conv}). Vergleichbare Einwohner (gleiche Altersgruppen) kauften zu {base}. Lift: {lift}.',
    'e.ageBand': 'Altersgruppe', 'e.residents': 'Einwohner', 'e.customers': 'davon Kunden', 'e.rate': 'Anteil',
    'f.firstTitle': 'Erste Besuche mit der Stadtkarte', 'f.firstQuestion': 'Welche Teilnehmer haben neue Kundinnen und Kunden zur Stadtkarte gebracht?', 'f.newCustomers': 'neue Kunden',
    'mine.title': 'Meine gemeinsame Kundschaft', 'mine.question': 'Wie viele meiner Kundinnen und Kunden kaufen auch bei anderen – und woher kommen sie, wohin gehen sie?',
    'mine.others': 'Andere Teilnehmer (höchstens 7)', 'mine.run': 'Berechnen', 'mine.help': 'Wird auf Knopfdruck berechnet; aus der Stadtstatistik kostenlos, sonst (z. B. mit Zielgruppe) als Einzelfrage.',
    'mine.published': 'Aus der Stadtstatistik vom {d}: kostenlos, für alle gleich.', 'mine.adhoc': 'Einzelfrage (keine Veröffentlichung enthält diese Zahlen): kostet Fragen-Budget.',
    'mine.share': 'Anteil meiner Kunden, die auch dort kaufen', 'mine.flows': 'Wege von und zu meinem Geschäft (nächster Besuch innerhalb 7 Tagen)',
    'mix.every': 'Aktualisieren', 'mix.every1': 'bei jedem Datenstand', 'mix.every5': 'alle 5 Datenstände', 'mix.every15': 'alle 15 Datenstände',
    'mix.every60': 'alle 60 Datenstände', 'mix.every0': 'nur auf Knopfdruck', 'mix.refresh': 'Jetzt aktualisieren',
    'mix.costly': '„Stadt“: alle Einwohner je Persona; „Meine Kundschaft“: Ihre Kunden des letzten vollen Monats je Persona. Beides kommt aus der Stadtstatistik und kostet nichts; nur solange keine Stadtstatistik vorliegt, ist jede Persona eine eigene Frage und kostet Fragen-Budget.',
    'mix.published': 'Letzte Aktualisierung: aus der Stadtstatistik, kostenlos.',
    'assortment.published': 'Aus der Stadtstatistik vom {d}: kostenlos, für alle gleich (der Saisonverlauf wird nicht veröffentlicht und fehlt hier).',
    'assortment.adhoc': 'Einzelfrage: kostet Fragen-Budget.',
    'error.429full': 'Das Budget für Einzelfragen ist aufgebraucht ({scope}); es erneuert sich am {d}. Zahlen aus der Stadtstatistik bleiben kostenlos.',
    'scope.CITY_AD_HOC_ACCOUNT': 'Ihr Anteil am Einzelfragen-Budget der Stadt für diesen Monat', 'scope.CITY_AD_HOC': 'Einzelfragen-Budget der Stadt für diesen Monat',
    'scope.CITY': 'Obergrenze der Stadt für diesen Monat', 'scope.ACCOUNT': 'Ihr Fragen-Budget',
    'mix.cost': 'Letzte Aktualisierung: Datenstand {v}, kostete {e} ε.', 'mix.repeated': 'Letzte Aktualisierung: Datenstand {v}, ohne Kosten (schon gefragt).',
    'error': 'Fehler', 'error.429': 'Budget aufgebraucht', 'none': '—',
    // Labels of the event contract's enums and of the health monitor's keys (issue 16: no raw id on a German page).
    'gender.FEMALE': 'weiblich', 'gender.MALE': 'männlich', 'gender.DIVERSE': 'divers', 'gender.UNKNOWN': 'ohne Angabe',
    'household.SINGLE': 'Ein-Personen-Haushalt', 'household.COUPLE': 'Paar ohne Kinder', 'household.FAMILY': 'Familie mit Kindern',
    'household.SINGLE_PARENT': 'Alleinerziehend', 'household.SHARED': 'Wohngemeinschaft', 'household.UNKNOWN': 'ohne Angabe',
    'consent.ANALYTICS': 'Einwilligung in Auswertung', 'consent.OFFERS': 'Einwilligung in Angebote', 'consent.NEWSLETTER': 'Einwilligung in Newsletter',
    'category.unmapped': 'nicht zugeordnete Warengruppen', 'category.veranstaltung': 'Veranstaltungen (Check-ins)',
    'label.other': 'Sonstige', 'label.participantOutsideCatalogue': 'Teilnehmer außerhalb des Katalogs', 'ageBand.other': 'ohne Altersangabe', 'district.other': 'außerhalb der Stadt',
    'measure.customer_year': 'Kunden im Jahr', 'measure.customer_month': 'Kunden im Monat', 'measure.engaged_month': 'Abonnenten und Follower im Monat',
    'measure.buyers_year': 'Käufer im Jahr', 'measure.buyers_month': 'Käufer im Monat',
    'job.RUNNING': 'läuft', 'job.FAILED': 'fehlgeschlagen', 'job.FAILING': 'schlägt fehl', 'job.RESTARTING': 'startet neu',
    'job.CANCELED': 'abgebrochen', 'job.CANCELLING': 'wird abgebrochen', 'job.FINISHED': 'beendet', 'job.CREATED': 'angelegt',
    'job.SUSPENDED': 'angehalten', 'job.INITIALIZING': 'startet', 'job.RECONCILING': 'wird abgeglichen',
    'reject.malformed_json': 'kein gültiges JSON', 'reject.malformed_path': 'ungültige Adresse', 'reject.invalid_events': 'ungültige Ereignisse',
    'reject.invalid_mappings': 'ungültige Warengruppen-Zuordnung', 'reject.unauthorized': 'ohne gültigen API-Schlüssel', 'reject.forbidden': 'nicht erlaubt',
    'reject.not_found': 'unbekannte Adresse', 'reject.method_not_allowed': 'falsche HTTP-Methode', 'reject.payload_too_large': 'Anfrage zu groß',
    'reject.batch_too_large': 'zu viele Ereignisse in einer Anfrage', 'reject.event_id_conflict': 'Ereignis-ID mit anderem Inhalt wiederverwendet',
    'reject.unsupported_media_type': 'falscher Inhaltstyp', 'reject.outside_retention': 'älter als die Aufbewahrungsfrist',
    'reject.kafka_unavailable': 'Kafka nicht erreichbar', 'reject.internal_error': 'interner Fehler', 'reject.too_many_requests': 'zu viele Anfragen',
    'stage.accepted → anonymised': 'angenommen → pseudonymisiert', 'stage.anonymised → profiled': 'pseudonymisiert → im Profil',
    'stage.profiled → visible in Pinot': 'im Profil → in Pinot sichtbar',
    'cards.cardEventsHeld': 'Karten-Ereignisse warten', 'cards.cardEventsAttributedLate': 'nachträglich zugeordnet',
    'cards.cardEventsExpiredUnlinked': 'ohne Verknüpfung verfallen', 'cards.cardEventsOverflowedUnlinked': 'ohne Verknüpfung verworfen (Puffer voll)',
    'h.rejected': '{what}: {n} Anfragen abgelehnt (seit dem Start)', 'h.lag': 'Verbrauchergruppe „{what}“: {n} Datensätze im Rückstand',
    'h.job': 'Job „{what}“: {state}', 'h.checkpoint': 'Job „{what}“: letzter Checkpoint vor {age} s, gedauert {ms} ms',
    'h.checkpointNone': 'Job „{what}“: noch kein Checkpoint', 'h.restarts': 'Job „{what}“: {n} Neustarts', 'h.backpressure': 'Job „{what}“: Rückstau {p} %',
    'h.stage': '{what}: {s} s', 'h.partition': 'Partition {p}: {a} von {b} Datensätzen in Pinot', 'h.counter': '{what}: {n}',
    'r.rejected': 'mehr als {1} abgelehnte Anfragen je Sekunde', 'r.lag': 'eine Verbrauchergruppe ist mehr als {1} Datensätze im Rückstand',
    'r.restarting': 'ein Job startet neu', 'r.backpressure': 'Rückstau über {1}', 'r.deadletters': 'mehr als {1} Dead Letters',
    'r.cards': 'Karten-Ereignisse verworfen: mehr unverknüpfte Ereignisse auf einer Karte, als der Puffer hält',
    'r.freshness': 'angenommene Ereignisse brauchen länger als {1} s, bis sie in Pinot sichtbar sind', 'r.noJob': 'kein Flink-Job',
    'r.notRunning': '{1} Job(s) laufen nicht', 'r.noCheckpoint': 'noch kein abgeschlossener Checkpoint', 'r.checkpoint': 'letzter Checkpoint älter als {1} s',
    'r.notConfigured': 'nicht eingerichtet: {1}', 'r.unreachable': 'nicht erreichbar: {1}',
  },
  en: {
    'app.title': 'proKommun Insights', 'lang.toggle': 'Deutsch', 'logout': 'Log out', 'skip': 'Skip to content',
    'login.title': 'Log in', 'login.key': 'API key', 'login.hint': 'You get the key from the city marketing organisation. It is kept only in this browser tab.',
    'login.submit': 'Log in', 'login.failed': 'Login failed: ', 'login.role': 'This key belongs neither to a merchant nor to the operator.',
    'merchant.title': 'Merchant dashboard', 'operator.title': 'Operator dashboard',
    'filters': 'Narrow the audience', 'f.age': 'Age', 'f.ageFrom': 'from', 'f.ageTo': 'to', 'f.genders': 'Gender',
    'f.districts': 'Districts', 'f.households': 'Household', 'f.personas': 'Personas', 'f.consentOffers': 'only with consent to offers',
    'f.customerOf': 'only my customers', 'f.bought': 'Bought category', 'f.category': 'Category', 'f.year': 'Year', 'f.none': '— none —',
    'f.active': 'active within … days', 'f.activeHint': '7, 30, 90 or 365 days: from the city statistics (free)', 'f.reset': 'Reset filters',
    'audience.title': 'Matching residents', 'audience.noisy': 'Slightly noisy to protect residents.',
    'audience.suppressed': 'Too few people: the exact number is withheld to protect residents.',
    'audience.version': 'Data version', 'live': '● live', 'loading': 'loading …',
    'mix.title': 'Persona mix: city and my customers', 'mix.city': 'City', 'mix.mine': 'My customers',
    'mix.mineOf': 'My customers {m}',
    'mix.minePublished': '“My customers”: your customers in {m} (the last full month) per persona, from the city statistics of {d} – free, visible only to you and the operator. The noise of the city statistics makes small values inaccurate.',
    'mix.minePartial': '“My customers”: your customers in {m} up to the data time of the city statistics of {d} (current month) – free, visible only to you and the operator.',
    'mix.mineAdhoc': '“My customers”: your customers in {m} as an ad-hoc question (no city statistics yet) – costs question budget.',
    'affinity.title': 'Category affinity (lift per persona)', 'affinity.show': 'Show', 'affinity.categories': 'Categories',
    'affinity.help': 'Lift 1.0 = buys like the city; 2.0 = twice as often; empty = too few buyers.',
    'history.title': 'Product history', 'history.from': 'from year', 'history.to': 'to year', 'history.buyers': 'Buyers', 'history.active': 'still active today',
    'assortment.title': 'Assortment check', 'assortment.years': 'years back', 'assortment.run': 'Check',
    'assortment.interested': 'Interested residents (earlier buyers, still active)', 'assortment.personas': 'Personas with the highest affinity',
    'budget.title': 'My question budget', 'budget.day': 'left today', 'budget.month': 'left this month', 'budget.renews': 'renews',
    'budget.exhausted': 'The question budget is used up. It renews automatically.',
    'budget.cityCap': 'Cap per resident (city, month)', 'budget.cityLeft': 'of which left',
    'budget.adHocLeft': 'my share for ad-hoc questions left',
    'budget.adHocNow': 'of which available now', 'budget.nextPortion': '(more from {d})',
    'audience.published': 'From the city statistics of {d}: free, the same for everybody.',
    'audience.adhoc': 'Ad-hoc question: costs question budget.',
    'table.show': 'Figures as a table', 'col.label': 'Group', 'col.value': 'Value', 'col.year': 'Year',
    'pulse.title': 'City pulse: active residents per persona (7 days)', 'pulse.total': 'active within 7 days', 'pulse.published': 'From the city statistics, data as of {d} (free, the same for everyone).',
    'health.title': 'Streaming health', 'health.sampled': 'sampled', 'health.unavailable': 'Health monitor unreachable',
    'status.OK': 'OK', 'status.RED': 'Problem', 'status.UNKNOWN': 'unknown',
    'tile.ingestion.accepted': 'Accepted events/s', 'tile.ingestion.rejected': 'Rejected requests/s',
    'tile.kafka.lag': 'Kafka lag (records)', 'tile.flink.jobs': 'Flink jobs running', 'tile.flink.checkpoints': 'Last checkpoint age (s)',
    'tile.flink.restarts': 'Job restarts', 'tile.flink.backpressure': 'Backpressure', 'tile.deadletters': 'Dead letters',
    'tile.pinot.freshness': 'Accepted → visible (s)', 'tile.cards.waiting': 'Card events waiting for a link',
    'tile.trend': 'Last 15 minutes',
    'journey.title': 'Customer journeys in the city: selection',
    'j.intro': 'Choose a period and up to 8 participants and click “Analyse”. Each analysis costs question budget, so it is computed on demand only; the same question within one data version costs nothing.',
    'j.segmentHelp': 'Segment (optional): only residents of this persona, age band or district; applies to shared customers and to weekday and hour.',
    'j.periodKind': 'Period', 'j.month': 'Month', 'j.year': 'Year', 'j.segPersona': 'Persona', 'j.segAge': 'Age band', 'j.segDistrict': 'Home district',
    'j.everyone': '— all —', 'j.nodes': 'Participants (at most 8)', 'j.run': 'Analyse', 'j.picked': '{n} of at most {max} chosen',
    'j.pickTwo': 'Please choose at least 2: {field}.',
    'j.noisy': 'All figures are slightly noisy to protect residents.', 'j.suppressed': '“—” = too few people: the figure is withheld for their protection.',
    'j.repeated': 'This question was already asked in this data version and cost nothing.', 'j.cost': 'This analysis cost {e} ε of question budget.', 'j.left': 'Left today: {e} ε.',
    'j.alsoAt': 'also buy at …', 'j.pair': 'customers of → also at', 'j.shared': 'shared customers', 'j.customersOfA': 'customers of A', 'j.share': 'share',
    'j.residents': 'residents', 'j.noFlows': 'No flows with enough people for this selection.', 'j.flow': 'Flow', 'j.visits': 'Visits', 'j.hour': 'Hour',
    'j.spend': 'Spend', 'j.district': 'District', 'j.noVouchers': 'No redeemed vouchers with enough people in this period.', 'j.participant': 'Participant', 'j.noRows': 'No figures for this period.',
    'cross.title': 'Shared customers (cross-shopping)', 'cross.question': 'How many customers of A also buy at B?',
    'cross.help': 'Row = shop A, column = shop B. 40 % means: 4 in 10 customers of A also bought at B in the period.',
    'flows.title': 'Customer flows (Sankey)', 'flows.question': 'Where do customers go next?',
    'flows.level': 'Nodes', 'flows.byParticipant': 'Participants', 'flows.byCategory': 'Categories', 'flows.within': 'next visit within',
    'flows.1h': '1 hour', 'flows.24h': '24 hours', 'flows.7d': '7 days', 'flows.30d': '30 days', 'flows.categories': 'Categories (at most 8)',
    'flows.help': 'Left: where residents shopped; right: where they shopped next. The wider the band, the more residents took this way.',
    'when.title': 'When and where people shop', 'when.question': 'On which days, at which hours and in which districts are the shops visited?',
    'when.heat': 'Visits by weekday and hour', 'when.places': 'Visits and spend per district',
    'v.run': 'Evaluate vouchers', 'v.runNote': 'On its own button: the voucher evaluation asks 13 questions at once (operator: 3.25 ε of the day budget).',
    'v.title': 'Voucher circulation', 'v.question': 'Where are vouchers bought, where redeemed – and does the money stay in town?',
    'v.gift': 'Gift vouchers', 'v.employerTitle': 'Employer vouchers (benefits in kind)', 'v.bonusTitle': 'Bonus points',
    'v.redemptionRate': 'redeemed (share of value sold)', 'v.local': 'of it spent in town', 'v.sold': 'sold', 'v.soldValue': 'value sold',
    'v.redeemed': 'redeemed', 'v.redeemedValue': 'value redeemed', 'v.meanDays': 'days to redemption (mean)', 'v.employer': 'Employer',
    'v.topLinks': 'Shown: the {n} largest of {m} released links; all of them in the table below.',
    'v.pair': 'sold at → redeemed at', 'v.allRows': 'All {n} rows with released figures',
    'v.withheldRows': '{n} rows without a released figure (too few people) are hidden.',
    'v.credited': 'credited', 'v.spent': 'spent', 'v.rate': 'redemption rate', 'v.spentAt': 'spent at', 'v.earned': 'earned', 'v.redeemedPoints': 'redeemed',
    'e.title': 'From newsletter to purchase', 'e.question': 'Do residents who follow a shop or subscribe to its newsletter buy there within 30 days?',
    'e.monthOnly': 'Always for one month (with a year chosen: the month picked).', 'e.engaged': 'subscribers and followers', 'e.baseline': 'similar residents',
    'e.sentence': '{engaged} residents followed {who} or subscribed to its newsletter; {buyers} of them bought there within 30 days ({conv}). Similar residents (same age bands) bought at {base}. Lift: {lift}.',
    'e.ageBand': 'Age band', 'e.residents': 'Residents', 'e.customers': 'of them customers', 'e.rate': 'share',
    'f.firstTitle': 'First visits with the city card', 'f.firstQuestion': 'Which participants brought new customers to the city card?', 'f.newCustomers': 'new customers',
    'mine.title': 'My shared customers', 'mine.question': 'How many of my customers also buy elsewhere – and where do they come from, where do they go?',
    'mine.others': 'Other participants (at most 7)', 'mine.run': 'Compute', 'mine.help': 'Computed on demand; free from the city statistics, otherwise (e.g. with a segment) an ad-hoc question.',
    'mine.published': 'From the city statistics of {d}: free, the same for everybody.', 'mine.adhoc': 'Ad-hoc question (no publication holds these figures): costs question budget.',
    'mine.share': 'Share of my customers who also buy there', 'mine.flows': 'Flows from and to my shop (next visit within 7 days)',
    'mix.every': 'Refresh', 'mix.every1': 'every data version', 'mix.every5': 'every 5 data versions', 'mix.every15': 'every 15 data versions',
    'mix.every60': 'every 60 data versions', 'mix.every0': 'on demand only', 'mix.refresh': 'Refresh now',
    'mix.costly': '“City”: all residents per persona; “My customers”: your customers of the last full month per persona. Both come from the city statistics and are free; only while no city statistics exist is every persona a question of its own that costs question budget.',
    'mix.published': 'Last refresh: from the city statistics, free.',
    'assortment.published': 'From the city statistics of {d}: free, the same for everybody (seasonality is not published and is left out).',
    'assortment.adhoc': 'Ad-hoc question: costs question budget.',
    'error.429full': 'The budget for ad-hoc questions is used up ({scope}); it renews on {d}. Figures from the city statistics stay free.',
    'scope.CITY_AD_HOC_ACCOUNT': 'your part of the city’s ad-hoc budget this month', 'scope.CITY_AD_HOC': 'the city’s ad-hoc budget this month',
    'scope.CITY': 'the city’s cap this month', 'scope.ACCOUNT': 'your question budget',
    'mix.cost': 'Last refresh: data version {v}, cost {e} ε.', 'mix.repeated': 'Last refresh: data version {v}, free (already asked).',
    'error': 'Error', 'error.429': 'Budget used up', 'none': '—',
    'gender.FEMALE': 'female', 'gender.MALE': 'male', 'gender.DIVERSE': 'diverse', 'gender.UNKNOWN': 'not stated',
    'household.SINGLE': 'single-person household', 'household.COUPLE': 'couple without children', 'household.FAMILY': 'family with children',
    'household.SINGLE_PARENT': 'single parent', 'household.SHARED': 'shared flat', 'household.UNKNOWN': 'not stated',
    'consent.ANALYTICS': 'consent to analysis', 'consent.OFFERS': 'consent to offers', 'consent.NEWSLETTER': 'consent to newsletters',
    'category.unmapped': 'unmapped product groups', 'category.veranstaltung': 'events (check-ins)',
    'label.other': 'other', 'label.participantOutsideCatalogue': 'Participant outside the catalogue', 'ageBand.other': 'no age given', 'district.other': 'outside the city',
    'measure.customer_year': 'customers in the year', 'measure.customer_month': 'customers in the month', 'measure.engaged_month': 'subscribers and followers in the month',
    'measure.buyers_year': 'buyers in the year', 'measure.buyers_month': 'buyers in the month',
    'job.RUNNING': 'running', 'job.FAILED': 'failed', 'job.FAILING': 'failing', 'job.RESTARTING': 'restarting',
    'job.CANCELED': 'cancelled', 'job.CANCELLING': 'cancelling', 'job.FINISHED': 'finished', 'job.CREATED': 'created',
    'job.SUSPENDED': 'suspended', 'job.INITIALIZING': 'starting', 'job.RECONCILING': 'reconciling',
    'reject.malformed_json': 'not valid JSON', 'reject.malformed_path': 'invalid address', 'reject.invalid_events': 'invalid events',
    'reject.invalid_mappings': 'invalid product-group mapping', 'reject.unauthorized': 'without a valid API key', 'reject.forbidden': 'not allowed',
    'reject.not_found': 'unknown address', 'reject.method_not_allowed': 'wrong HTTP method', 'reject.payload_too_large': 'request too large',
    'reject.batch_too_large': 'too many events in one request', 'reject.event_id_conflict': 'event id re-used with another body',
    'reject.unsupported_media_type': 'wrong content type', 'reject.outside_retention': 'older than the retention period',
    'reject.kafka_unavailable': 'Kafka unavailable', 'reject.internal_error': 'internal error', 'reject.too_many_requests': 'too many requests',
    'stage.accepted → anonymised': 'accepted → pseudonymised', 'stage.anonymised → profiled': 'pseudonymised → profiled',
    'stage.profiled → visible in Pinot': 'profiled → visible in Pinot',
    'cards.cardEventsHeld': 'card events waiting', 'cards.cardEventsAttributedLate': 'attributed late',
    'cards.cardEventsExpiredUnlinked': 'expired without a link', 'cards.cardEventsOverflowedUnlinked': 'dropped without a link (buffer full)',
    'h.rejected': '{what}: {n} requests rejected (since the start)', 'h.lag': 'Consumer group “{what}”: {n} records behind',
    'h.job': 'Job “{what}”: {state}', 'h.checkpoint': 'Job “{what}”: last checkpoint {age} s ago, took {ms} ms',
    'h.checkpointNone': 'Job “{what}”: no checkpoint yet', 'h.restarts': 'Job “{what}”: {n} restarts', 'h.backpressure': 'Job “{what}”: backpressure {p} %',
    'h.stage': '{what}: {s} s', 'h.partition': 'Partition {p}: {a} of {b} records in Pinot', 'h.counter': '{what}: {n}',
    'r.rejected': 'more than {1} rejected requests per second', 'r.lag': 'a consumer group is more than {1} records behind',
    'r.restarting': 'a job is restarting', 'r.backpressure': 'backpressure above {1}', 'r.deadletters': 'more than {1} dead letters',
    'r.cards': 'card events dropped: more unlinked events on one card than the buffer holds',
    'r.freshness': 'accepted events take more than {1} s to become visible in Pinot', 'r.noJob': 'no Flink job',
    'r.notRunning': '{1} job(s) not running', 'r.noCheckpoint': 'no completed checkpoint yet', 'r.checkpoint': 'last checkpoint older than {1} s',
    'r.notConfigured': 'not configured: {1}', 'r.unreachable': 'unreachable: {1}',
  },
};

export function lang() { return localStorage.getItem('lang') === 'en' ? 'en' : 'de'; }
export function t(key) { return TEXT[lang()][key] ?? TEXT.de[key] ?? key; }

// The city's own names of its ids (taxonomy.json, personas.json, the catalogue's employers), from
// GET /api/v1/audiences/dimensions "labels".
let CITY_LABELS = { category: {}, persona: {}, employer: {} };
export function setCityLabels(labels) {
  if (labels) CITY_LABELS = { category: labels.categories || {}, persona: labels.personas || {}, employer: labels.employers || {} };
}

/**
 * The display name of an identifier the API returns: kind is category, persona or employer (the city's files), gender,
 * household, consent, measure, job, reject, ageBand or district (the dictionary above; age bands and districts
 * are names already). The cell "other" is "Sonstige". An id without a name stays as it is.
 */
export function label(kind, id) {
  if (id == null || id === '') return t('none');
  const city = CITY_LABELS[kind] && CITY_LABELS[kind][id];
  if (city) return city[lang()] || city.de;
  const key = kind + '.' + id;
  const known = TEXT[lang()][key] ?? TEXT.de[key];
  if (known != null) return known;
  if (id === 'other') return t('label.other');
  // a participant the directory and the catalogue do not name is shown as such, never by its id (issue 16)
  return kind === 'participant' ? t('label.participantOutsideCatalogue') : id;
}

/** A label element for an id that follows the language switch: `<span data-label-kind data-label-id>`. */
export function labelAttrs(kind, id) {
  const esc = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  return `data-label-kind="${esc(kind)}" data-label-id="${esc(id)}"`;
}

/** A template with {name} placeholders filled from vars. */
export function fill(key, vars) {
  return Object.entries(vars).reduce((text, [k, v]) => text.split('{' + k + '}').join(String(v)), t(key));
}
export function fmt(n, digits = 0) {
  return n == null ? t('none') : new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'de-DE',
    { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

/** Fills every [data-i18n] element and wires the toggle; calls onChange after a switch. */
export function applyI18n(onChange) {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll('[data-i18n-label]').forEach(el => { el.setAttribute('aria-label', t(el.dataset.i18nLabel)); });
  document.querySelectorAll('[data-label-kind]').forEach(el => { el.textContent = label(el.dataset.labelKind, el.dataset.labelId); });
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
