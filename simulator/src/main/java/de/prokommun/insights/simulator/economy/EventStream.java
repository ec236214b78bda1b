package de.prokommun.insights.simulator.economy;

import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.simulator.SimCity;
import de.prokommun.insights.simulator.SimEvent;
import de.prokommun.insights.simulator.city.Behaviour;
import de.prokommun.insights.simulator.city.ParticipantCatalogue;
import de.prokommun.insights.simulator.city.ProductGroup;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.emit.Json;
import de.prokommun.insights.simulator.population.Persona;
import de.prokommun.insights.simulator.population.PopulationModel;
import de.prokommun.insights.simulator.population.Resident;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The deterministic event stream of the synthetic city, generated day by day and ordered by event time.
 *
 * <p>Each resident acts through a few recurring actions kept in a {@link Calendar}: shopping trips (a
 * Poisson process thinned by weekly and yearly seasonality), life events at the portal (follows,
 * newsletters, consent changes, moves, household changes, card replacements, deleting a purchase, erasure,
 * buying a gift voucher), monthly employer-voucher credits and weekly club training. Portal actions of a day
 * run before shopping, and a resident who used the portal today shops from tomorrow, so a resident's events
 * are always in a valid order (registration first, nothing after erasure). Every resident draws from their
 * own random stream; the stream of a shorter period is a prefix of the stream of a longer one.
 */
public final class EventStream implements Iterator<SimEvent> {

    static final int REGISTER = 0, LIFE = 1, CREDIT = 2, TRIP = 3, REDEEM = 4, TRAINING = 5;
    private static final int FIRST_REPLACEMENT_CARD = 50_000_000;
    private static final double LIFE_FOLLOW = 1.2, LIFE_UNFOLLOW = 0.25, LIFE_SUBSCRIBE = 0.5, LIFE_UNSUBSCRIBE = 0.25,
            LIFE_CONSENT = 0.15, LIFE_MOVE = 0.05, LIFE_HOUSEHOLD = 0.03, LIFE_INTERESTS = 0.1, LIFE_CARD = 0.04,
            LIFE_DELETE_PURCHASE = 0.12, LIFE_ERASE = 0.012, LIFE_GIFT = 0.15 * Seasonality.MAX_GIFT;
    private static final double[] LIFE_RATES = {LIFE_FOLLOW, LIFE_UNFOLLOW, LIFE_SUBSCRIBE, LIFE_UNSUBSCRIBE,
            LIFE_CONSENT, LIFE_MOVE, LIFE_HOUSEHOLD, LIFE_INTERESTS, LIFE_CARD, LIFE_DELETE_PURCHASE, LIFE_ERASE, LIFE_GIFT};
    private static final double LIFE_TOTAL = sum(LIFE_RATES);

    private record Pending(long time, long seq, SimEvent event) {}
    private record Voucher(String id, int seller, long[] remaining) {}

    private final SimCity city;
    private final Behaviour behaviour;
    private final String cityId;
    private final ZoneId zone;
    private final Resident[] residents;
    private final List<SimParticipant> businesses;
    private final SimParticipant portal;
    private final SimParticipant voucherSystem;
    private final List<ParticipantCatalogue.Employer> employers;
    private final List<PopulationModel.Interest> interests;
    private final Preferences preferences;
    private final double[][] personaParticipantCum;   // [persona][participant] cumulative choice weights
    private final Calendar calendar;
    private final long fromMillis, toMillis, endDay;
    private final String idPrefix;
    private final List<Voucher> vouchers = new ArrayList<>();
    /** Numbers every voucher sold, also those nobody redeems (which {@link #vouchers} does not keep). */
    private int vouchersSold;
    private final long[] receiptCounters;
    private int replacementCards;

    private long day;
    private long seq;
    private final List<Pending> today = new ArrayList<>();
    private int cursor;
    private long todayStartMillis;
    private LocalDate todayDate;
    private double todayShopping;
    private boolean todayHoliday;

    public EventStream(SimCity city, long seed, int residentCount, Instant from, Instant to, String idPrefix) {
        if (!to.isAfter(from)) throw new IllegalArgumentException("period: 'to' (" + to + ") must be after 'from' (" + from + ")");
        if (!idPrefix.matches("[A-Za-z0-9._:-]{1,40}")) throw new IllegalArgumentException("idPrefix: 1-40 characters [A-Za-z0-9._:-], got '" + idPrefix + "'");
        this.city = city;
        this.behaviour = city.behaviour();
        this.cityId = city.city().id();
        this.zone = city.city().timeZone();
        this.idPrefix = idPrefix;
        this.fromMillis = from.toEpochMilli();
        this.toMillis = to.toEpochMilli();
        LocalDate firstDay = LocalDate.ofInstant(from, zone);
        this.endDay = LocalDate.ofInstant(to, zone).toEpochDay() + 1;
        this.residents = city.residents(seed, residentCount, firstDay);
        ParticipantCatalogue catalogue = city.participants();
        this.businesses = catalogue.businesses();
        this.portal = catalogue.portal();
        this.voucherSystem = catalogue.voucherSystem();
        this.employers = catalogue.employers();
        this.interests = city.populationModel().interests();
        this.preferences = new Preferences(city.taxonomy(), city.populationModel(), behaviour, businesses);
        this.personaParticipantCum = new double[Persona.values().length][];
        for (Persona p : Persona.values()) {
            double[] cum = new double[businesses.size()];
            double acc = 0;
            for (SimParticipant b : businesses) {
                if (b.sellsGoods()) acc += b.weight() * preferences.participant(p, 0, b);
                cum[b.index()] = acc;
            }
            personaParticipantCum[p.ordinal()] = cum;
        }
        this.receiptCounters = new long[businesses.size() + 1];
        this.calendar = new Calendar(endDay);
        this.day = firstDay.toEpochDay();
        for (Resident r : residents) {
            if (r.registerDay >= 0) calendar.schedule(Math.max(r.registerDay, day), r.index, REGISTER, 0);
            if (r.cardFromDay >= 0 && (r.registerDay < 0 || r.cardFromDay < r.registerDay)) {
                calendar.schedule(Math.max(r.cardFromDay, day) + tripGap(r, r.cardFromDay), r.index, TRIP, 0);
            }
        }
    }

    /** The residents the stream simulates (their state evolves while the stream is consumed). */
    public Resident[] residents() { return residents; }

    @Override
    public boolean hasNext() {
        while (cursor >= today.size()) {
            if (day >= endDay) return false;
            simulateDay();
        }
        return true;
    }

    @Override
    public SimEvent next() {
        if (!hasNext()) throw new NoSuchElementException();
        return today.get(cursor++).event();
    }

    // ---- one day -------------------------------------------------------------------------------------

    private void simulateDay() {
        today.clear();
        cursor = 0;
        todayDate = LocalDate.ofEpochDay(day);
        todayStartMillis = todayDate.atStartOfDay(zone).toInstant().toEpochMilli();
        todayShopping = Seasonality.shopping(todayDate);
        todayHoliday = Seasonality.isClosedHoliday(todayDate);
        Calendar.Day actions = calendar.take(day);
        if (actions != null) {
            // portal and voucher-system actions first, then everything that happens in shops
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < actions.size; i++) {
                    long a = actions.actions[i];
                    int kind = Calendar.kind(a);
                    boolean first = kind == REGISTER || kind == LIFE || kind == CREDIT;
                    if (first == (pass == 0)) act(kind, residents[Calendar.resident(a)], Calendar.arg(a));
                }
            }
        }
        today.removeIf(p -> p.time() < fromMillis || p.time() >= toMillis);
        today.sort(Comparator.comparingLong(Pending::time).thenComparingLong(Pending::seq));
        day++;
    }

    private void act(int kind, Resident r, int arg) {
        if (r.erased) return;
        switch (kind) {
            case REGISTER -> register(r);
            case LIFE -> life(r);
            case CREDIT -> employerCredit(r);
            case TRIP -> trip(r);
            case REDEEM -> redeemGiftVoucher(r, arg);
            case TRAINING -> training(r);
            default -> throw new IllegalStateException("unknown action kind " + kind);
        }
    }

    // ---- registration and portal life ------------------------------------------------------------------

    private void register(Resident r) {
        SplittableRandom rng = r.rng;
        long t = at(7 + rng.nextInt(16), rng.nextInt(60), rng.nextInt(60));
        r.registered = true;
        r.lastPortalDay = day;
        String data = Json.object()
                .field("birthDate", r.birthDate().toString())
                .field("gender", r.declaredGender.name())
                .field("postcode", postcode(r))
                .field("householdType", r.household.name())
                .strings("interests", interestIds(r.interests))
                .fieldRaw("consents", Json.object().field("analytics", r.analytics).field("offers", r.offers)
                        .field("newsletter", r.newsletter).end())
                .end();
        emit(t, "resident.registered", r.ref, null, portal, data);
        for (String card : r.cards) emit(t += 1000, "card.linked", r.ref, null, portal, Json.object().field("card", card).end());
        if (r.newsletter && rng.nextDouble() < 0.6) {
            newsletters(r).set(portal.index());
            emit(t += 1000, "newsletter.subscribed", r.ref, null, portal, Json.object().field("newsletter", portal.newsletter()).end());
        }
        ensureFavourites(r);
        if (rng.nextDouble() < 0.3) follow(r, t += 1000);
        int age = r.ageOn(todayDate);
        if (age >= 18 && age <= 66 && rng.nextDouble() < 0.12) {
            r.employer = pickEmployer(rng);
            double u = rng.nextDouble();
            r.employerCredit = u < 0.6 ? 5000 : u < 0.8 ? 4000 : 2500;
            calendar.schedule(todayDate.withDayOfMonth(1).plusMonths(1).toEpochDay(), r.index, CREDIT, 0);
        }
        joinClub(r);
        calendar.schedule(day + lifeGap(rng), r.index, LIFE, 0);
        if (r.cardFromDay >= r.registerDay) calendar.schedule(day + tripGap(r, day), r.index, TRIP, 0);
    }

    private void life(Resident r) {
        SplittableRandom rng = r.rng;
        calendar.schedule(day + lifeGap(rng), r.index, LIFE, 0);
        double u = rng.nextDouble() * LIFE_TOTAL;
        int kind = 0;
        while (kind < LIFE_RATES.length - 1 && u >= LIFE_RATES[kind]) u -= LIFE_RATES[kind++];
        long t = at(7 + rng.nextInt(16), rng.nextInt(60), rng.nextInt(60));
        switch (kind) {
            case 0 -> portalEvent(r, () -> follow(r, t));
            case 1 -> portalEvent(r, () -> unfollow(r, t));
            case 2 -> subscribe(r, t);
            case 3 -> unsubscribe(r, t);
            case 4 -> portalEvent(r, () -> changeConsent(r, t));
            case 5 -> portalEvent(r, () -> move(r, t));
            case 6 -> portalEvent(r, () -> changeHousehold(r, t));
            case 7 -> portalEvent(r, () -> changeInterests(r, t));
            case 8 -> portalEvent(r, () -> replaceCard(r, t));
            case 9 -> portalEvent(r, () -> deletePurchase(r, t));
            case 10 -> portalEvent(r, () -> erase(r, t));
            default -> {
                if (rng.nextDouble() < Seasonality.gifts(todayDate) / Seasonality.MAX_GIFT) buyGiftVoucher(r);
            }
        }
    }

    private void portalEvent(Resident r, Runnable action) {
        r.lastPortalDay = day;
        action.run();
    }

    private void follow(Resident r, long t) {
        BitSet f = follows(r);
        int candidate = r.favourites.length > 0 && r.rng.nextDouble() < 0.8
                ? r.favourites[r.rng.nextInt(r.favourites.length)] : r.rng.nextInt(businesses.size());
        SimParticipant p = businesses.get(candidate);
        if (f.get(candidate) || p.voucherSystem()) return;
        f.set(candidate);
        emit(t, "participant.followed", r.ref, null, portal, Json.object().field("followed", p.id()).end());
    }

    private void unfollow(Resident r, long t) {
        BitSet f = follows(r);
        if (f.isEmpty()) return;
        int which = nthSetBit(f, r.rng.nextInt(f.cardinality()));
        f.clear(which);
        emit(t, "participant.unfollowed", r.ref, null, portal, Json.object().field("followed", businesses.get(which).id()).end());
    }

    /** Participant newsletters are reported by the participant's newsletter tool, the city newsletter by the portal. */
    private void subscribe(Resident r, long t) {
        BitSet n = newsletters(r);
        SimParticipant owner = portal;
        if (r.rng.nextDouble() < 0.7) {
            int candidate = r.favourites.length > 0 ? r.favourites[r.rng.nextInt(r.favourites.length)] : r.rng.nextInt(businesses.size());
            owner = businesses.get(candidate);
        }
        if (owner.newsletter() == null || n.get(owner.index())) return;
        n.set(owner.index());
        if (owner == portal) r.lastPortalDay = day;
        emit(t, "newsletter.subscribed", r.ref, null, owner, Json.object().field("newsletter", owner.newsletter()).end());
    }

    private void unsubscribe(Resident r, long t) {
        BitSet n = newsletters(r);
        if (n.isEmpty()) return;
        int which = nthSetBit(n, r.rng.nextInt(n.cardinality()));
        n.clear(which);
        SimParticipant owner = which == portal.index() ? portal : businesses.get(which);
        if (owner == portal) r.lastPortalDay = day;
        emit(t, "newsletter.unsubscribed", r.ref, null, owner, Json.object().field("newsletter", owner.newsletter()).end());
    }

    private void changeConsent(Resident r, long t) {
        SplittableRandom rng = r.rng;
        Json data = Json.object();
        double u = rng.nextDouble();
        if (r.analytics && u < 0.4) {
            r.analytics = false;
            data.field("analytics", false);
            if (r.offers) { r.offers = false; data.field("offers", false); }
        } else if (!r.analytics && u < 0.7) {
            r.analytics = true;
            data.field("analytics", true);
        } else if (u < 0.8 || !r.analytics) {
            r.newsletter = !r.newsletter;
            data.field("newsletter", r.newsletter);
        } else {
            r.offers = !r.offers;
            data.field("offers", r.offers);
        }
        emit(t, "consent.changed", r.ref, null, portal, data.end());
    }

    private void move(Resident r, long t) {
        int districts = city.city().districts().size();
        r.district = (r.district + 1 + r.rng.nextInt(districts - 1)) % districts;
        Json data = Json.object().field("postcode", postcode(r));
        if (r.rng.nextDouble() < 0.3 && nextHousehold(r)) data.field("householdType", r.household.name());
        emit(t, "profile.changed", r.ref, null, portal, data.end());
    }

    private void changeHousehold(Resident r, long t) {
        if (nextHousehold(r)) emit(t, "profile.changed", r.ref, null, portal, Json.object().field("householdType", r.household.name()).end());
    }

    /** Plausible household transitions: moving in together, a child, children leaving, separation. */
    private boolean nextHousehold(Resident r) {
        int age = r.ageOn(todayDate);
        double u = r.rng.nextDouble();
        HouseholdType next = switch (r.household) {
            case SINGLE -> age >= 18 ? HouseholdType.COUPLE : null;
            case SHARED -> u < 0.5 ? HouseholdType.SINGLE : HouseholdType.COUPLE;
            case COUPLE -> age < 45 && u < 0.6 ? HouseholdType.FAMILY : HouseholdType.SINGLE;
            case FAMILY -> age >= 45 ? HouseholdType.COUPLE : u < 0.5 ? HouseholdType.SINGLE_PARENT : HouseholdType.COUPLE;
            case SINGLE_PARENT -> u < 0.5 ? HouseholdType.FAMILY : HouseholdType.SINGLE;
            default -> null;
        };
        if (next == null) return false;
        r.household = next;
        r.householdSize = switch (next) {
            case SINGLE -> 1;
            case COUPLE -> 2;
            case FAMILY -> 3 + r.rng.nextInt(2);
            default -> 2 + r.rng.nextInt(2);
        };
        return true;
    }

    private void changeInterests(Resident r, long t) {
        r.interests ^= 1 << r.rng.nextInt(Math.min(31, interests.size()));
        emit(t, "profile.changed", r.ref, null, portal, Json.object().strings("interests", interestIds(r.interests)).end());
    }

    private void replaceCard(Resident r, long t) {
        if (r.cards.isEmpty()) return;
        int which = r.rng.nextInt(r.cards.size());
        String old = r.cards.get(which);
        String fresh = String.format("C-%08d", FIRST_REPLACEMENT_CARD + replacementCards++);
        r.cards.set(which, fresh);
        emit(t, "card.linked", r.ref, null, portal, Json.object().field("card", fresh).field("replacesCard", old).end());
    }

    /** The resident deletes a recent purchase in the portal's privacy centre. */
    private void deletePurchase(Resident r, long t) {
        if (r.lastReceipt == null || r.lastReceiptDay >= day || r.lastReceiptDay < day - 60) return;
        emit(t, "purchase.retracted", r.ref, null, portal, Json.object().field("receipt", r.lastReceipt).end());
        r.lastReceipt = null;
    }

    private void erase(Resident r, long t) {
        r.erased = true;
        emit(t, "erasure.requested", r.ref, null, portal,
                r.rng.nextDouble() < 0.5 ? Json.object().field("reason", "Auf eigenen Wunsch").end() : Json.object().end());
    }

    // ---- vouchers ---------------------------------------------------------------------------------------

    /** Sold by the city's voucher system (online) or in a shop; given to another card holder. */
    private void buyGiftVoucher(Resident buyer) {
        SplittableRandom rng = buyer.rng;
        SimParticipant seller = rng.nextDouble() < 0.4 ? voucherSystem : chooseParticipant(buyer, buyer.personaOn(todayDate), true);
        if (seller == null || !seller.hours().isOpen(todayDate.getDayOfWeek())) seller = voucherSystem;
        long[] amounts = {1000, 1500, 2000, 2500, 3000, 5000, 10000};
        long amount = amounts[rng.nextInt(amounts.length)];
        String id = String.format("GV-%07d", ++vouchersSold);
        Resident recipient = null;
        for (int tries = 0; tries < 20 && recipient == null; tries++) {
            Resident c = residents[rng.nextInt(residents.length)];
            if (c != buyer && c.hasCard() && !c.erased && c.cardFromDay <= day) recipient = c;
        }
        emit(openTime(seller, rng), "gift_voucher.sold", buyer.ref, buyer.card(), seller,
                Json.object().field("voucher", id).field("amountCents", amount).end());
        if (recipient == null) return; // a voucher nobody redeems: it happens
        vouchers.add(new Voucher(id, seller.index(), new long[] {amount}));
        long delay = 1 + (long) (-40 * Math.log(1 - rng.nextDouble()));
        calendar.schedule(day + delay, recipient.index, REDEEM, vouchers.size() - 1);
    }

    private void employerCredit(Resident r) {
        SplittableRandom rng = r.rng;
        if (rng.nextDouble() < 0.02) return; // changed jobs: no more credits
        long t = at(5, rng.nextInt(60), rng.nextInt(60));
        r.employerBalance += r.employerCredit;
        emit(t, "employer_voucher.credited", r.ref, r.card(), voucherSystem,
                Json.object().field("employer", employers.get(r.employer).id()).field("amountCents", r.employerCredit).end());
        calendar.schedule(todayDate.withDayOfMonth(1).plusMonths(1).toEpochDay(), r.index, CREDIT, 0);
    }

    private void redeemGiftVoucher(Resident r, int voucherIndex) {
        Voucher v = vouchers.get(voucherIndex);
        if (r.lastPortalDay == day) { calendar.schedule(day + 1, r.index, REDEEM, voucherIndex); return; }
        SimParticipant shop = null;
        for (int tries = 0; tries < 6 && shop == null; tries++) {
            SimParticipant c = chooseParticipant(r, r.personaOn(todayDate), false);
            if (c != null && c.index() != v.seller() && c.sellsGoods() && isOpen(c)) shop = c;
        }
        if (shop == null) { calendar.schedule(day + 1 + r.rng.nextInt(7), r.index, REDEEM, voucherIndex); return; }
        purchase(r, shop, v);
        if (v.remaining()[0] > 0) calendar.schedule(day + 7 + r.rng.nextInt(60), r.index, REDEEM, voucherIndex);
    }

    // ---- shopping ---------------------------------------------------------------------------------------

    private void trip(Resident r) {
        SplittableRandom rng = r.rng;
        calendar.schedule(day + tripGap(r, day), r.index, TRIP, 0);
        if (r.lastPortalDay == day) return;
        if (rng.nextDouble() >= todayShopping / Seasonality.MAX_SHOPPING) return;
        Persona persona = r.personaOn(todayDate);
        ensureFavourites(r);
        SimParticipant shop = null;
        for (int tries = 0; tries < 4 && shop == null; tries++) {
            SimParticipant c = chooseParticipant(r, persona, false);
            if (c != null && isOpen(c)) shop = c;
        }
        if (shop == null) return;
        if (shop.checkIns()) {
            long t = openTime(shop, rng);
            emit(t, "event.checked_in", null, anyCard(r), shop, Json.object()
                    .field("happening", shop.id() + ":" + todayDate + ":" + LocalTime.ofSecondOfDay((t - todayStartMillis) / 1000 % 86400).getHour())
                    .field("category", preferences.leafId(preferences.groupLeaf[shop.index()][0])).end());
            if (rng.nextDouble() < 0.3) return; // ticket bought elsewhere or a free event
        }
        purchase(r, shop, null);
    }

    private void training(Resident r) {
        SplittableRandom rng = r.rng;
        calendar.schedule(day + 7, r.index, TRAINING, 0);
        if (r.lastPortalDay == day || rng.nextDouble() > 0.7) return;
        SimParticipant club = businesses.get(r.club);
        DayOfWeek dow = todayDate.getDayOfWeek();
        if (!club.hours().isOpen(dow)) return;
        long t = openTime(club, rng);
        emit(t, "event.checked_in", null, anyCard(r), club, Json.object()
                .field("happening", club.id() + ":training:" + todayDate).field("category", behaviour.trainingCategory()).end());
    }

    private void purchase(Resident r, SimParticipant shop, Voucher giftVoucher) {
        SplittableRandom rng = r.rng;
        Persona persona = r.personaOn(todayDate);
        long t = openTime(shop, rng);
        String receipt = shop.id() + "-" + (++receiptCounters[shop.index()]);
        List<ProductGroup> groups = shop.productGroups();
        int[] leaves = preferences.groupLeaf[shop.index()];
        double[] weights = new double[groups.size()];
        for (int g = 0; g < weights.length; g++) weights[g] = preferences.leaf(persona, r.interests, leaves[g]);
        int span = shop.maxLines() - shop.minLines() + 1;
        int lines = shop.minLines() + (int) (span * Math.pow(rng.nextDouble(), persona == Persona.FAMILY ? 1.0 : 1.6));
        StringBuilder ls = new StringBuilder(lines * 64).append('[');
        long total = 0;
        for (int i = 0; i < lines; i++) {
            ProductGroup g = groups.get(pickWeighted(weights, rng));
            double q = rng.nextDouble();
            int quantity = q < 0.72 ? 1 : q < 0.92 ? 2 : 3 + rng.nextInt(4);
            long unit = g.minCents() + (long) (rng.nextDouble() * (g.maxCents() - g.minCents()));
            unit = Math.max(9, unit / 10 * 10 + 9);
            long amount = unit * quantity;
            total += amount;
            if (i > 0) ls.append(',');
            ls.append(Json.object().field("productGroup", g.name()).field("quantity", quantity).field("amountCents", amount).end());
        }
        ls.append(']');

        String card = anyCard(r);
        long remaining = total;
        List<String> payments = new ArrayList<>(3);
        List<Pending> follow = new ArrayList<>(3);
        if (giftVoucher != null) {
            long used = Math.min(giftVoucher.remaining()[0], remaining);
            giftVoucher.remaining()[0] -= used;
            remaining -= used;
            payments.add(payment("GIFT_VOUCHER", used));
            follow.add(pending(t + 2000, "gift_voucher.redeemed", null, card, shop, Json.object()
                    .field("voucher", giftVoucher.id()).field("amountCents", used).field("receipt", receipt).end()));
        }
        if (r.employerBalance > 0 && remaining > 0 && rng.nextDouble() < 0.6) {
            long used = Math.min(r.employerBalance, remaining);
            r.employerBalance -= used;
            remaining -= used;
            payments.add(payment("EMPLOYER_VOUCHER", used));
            follow.add(pending(t + 3000, "employer_voucher.redeemed", null, card, shop,
                    Json.object().field("amountCents", used).field("receipt", receipt).end()));
        }
        if (shop.bonus() && r.bonusPoints >= 300 && remaining > 0 && rng.nextDouble() < 0.2) {
            long points = Math.min(r.bonusPoints, remaining);
            r.bonusPoints -= points;
            remaining -= points;
            payments.add(payment("BONUS_POINTS", points));
            follow.add(pending(t + 4000, "bonus.redeemed", null, card, shop,
                    Json.object().field("points", points).field("receipt", receipt).end()));
        }
        if (remaining > 0) payments.add(payment(rng.nextDouble() < (r.ageOn(todayDate) >= 65 ? 0.45 : 0.25) ? "CASH" : "CARD", remaining));
        if (shop.bonus() && total >= 50) {
            long points = total / 50;
            r.bonusPoints += points;
            follow.add(pending(t + 1000, "bonus.earned", null, card, shop, Json.object().field("points", points).field("receipt", receipt).end()));
        }
        // a few purchases come from a participant's web shop, which knows the portal reference
        String resident = r.registered && rng.nextDouble() < 0.1 ? r.ref : null;
        emit(t, "purchase", resident, card, shop, Json.object().field("receipt", receipt).fieldRaw("lines", ls.toString())
                .fieldRaw("payments", "[" + String.join(",", payments) + "]").end());
        today.addAll(follow);
        if (r.registered) {
            r.lastReceipt = receipt;
            r.lastReceiptParticipant = shop.index();
            r.lastReceiptDay = day;
        }
        if (rng.nextDouble() < 0.003) { // cancelled at the till (Storno)
            emit(t + 60_000L * (1 + rng.nextInt(30)), "purchase.retracted", null, card, shop, Json.object().field("receipt", receipt).end());
            if (receipt.equals(r.lastReceipt)) r.lastReceipt = null;
        }
    }

    private static String payment(String kind, long cents) {
        return Json.object().field("kind", kind).field("amountCents", cents).end();
    }

    // ---- choices ----------------------------------------------------------------------------------------

    private void ensureFavourites(Resident r) {
        if (r.favourites.length > 0) return;
        Persona persona = r.personaOn(todayDate);
        double[] w = new double[businesses.size()];
        String home = postcode(r);
        for (SimParticipant b : businesses) {
            if (!b.sellsGoods()) continue;
            w[b.index()] = b.weight() * preferences.participant(persona, r.interests, b) * (b.postcode().equals(home) ? 3 : 1);
        }
        int n = 3 + r.rng.nextInt(5);
        int[] fav = new int[n];
        int k = 0;
        for (; k < n; k++) {
            int pick = pickWeighted(w, r.rng);
            if (w[pick] <= 0) break;
            fav[k] = pick;
            w[pick] = 0;
        }
        r.favourites = java.util.Arrays.copyOf(fav, k);
    }

    /** A favourite shop most of the time (loyalty), else any shop weighted by size and persona. */
    private SimParticipant chooseParticipant(Resident r, Persona persona, boolean goodsOnly) {
        SplittableRandom rng = r.rng;
        if (r.favourites.length > 0 && rng.nextDouble() < 0.75) {
            SimParticipant p = businesses.get(r.favourites[rng.nextInt(r.favourites.length)]);
            if (!goodsOnly || p.sellsGoods()) return p;
        }
        double[] cum = personaParticipantCum[persona.ordinal()];
        double u = rng.nextDouble() * cum[cum.length - 1];
        for (int i = 0; i < cum.length; i++) if (u < cum[i]) return businesses.get(i);
        return null;
    }

    /** The first club rule of behaviour.json whose interest the resident has and whose rate is drawn decides. */
    private void joinClub(Resident r) {
        String kind = null;
        for (Behaviour.ClubRule rule : behaviour.clubs()) {
            if (has(r, interestIndex(rule.interest())) && r.rng.nextDouble() < rule.rate()) {
                kind = rule.kind();
                break;
            }
        }
        if (kind == null) return;
        List<SimParticipant> clubs = new ArrayList<>();
        for (SimParticipant b : businesses) if (b.kind().equals(kind)) clubs.add(b);
        if (clubs.isEmpty()) return;
        r.club = clubs.get(r.rng.nextInt(clubs.size())).index();
        calendar.schedule(day + 1 + r.rng.nextInt(7), r.index, TRAINING, 0);
    }

    private boolean isOpen(SimParticipant p) {
        if (todayHoliday || !p.hours().isOpen(todayDate.getDayOfWeek())) return false;
        int m = todayDate.getMonthValue();
        return !p.summerSeasonal() || (m >= 3 && m <= 10);
    }

    private long openTime(SimParticipant p, SplittableRandom rng) {
        DayOfWeek dow = todayDate.getDayOfWeek();
        int open = p.hours().opens(dow), close = p.hours().closes(dow);
        if (close == 0) { open = 9; close = 18; }
        // behaviour.json "timeOfDay": evening venues late, morning shops early, "anyTime" ones evenly, the rest at midday
        double u = behaviour.evening(p) ? Math.max(rng.nextDouble(), rng.nextDouble())
                : behaviour.morning(p) ? Math.min(rng.nextDouble(), rng.nextDouble())
                : behaviour.anyTime(p) ? rng.nextDouble()
                : (rng.nextDouble() + rng.nextDouble()) / 2;
        int second = (int) (open * 3600 + u * (close - open) * 3600);
        return at(0, 0, Math.min(second, 86_399));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private long tripGap(Resident r, long onDay) {
        double weekly = r.personaAt(onDay).weeklyTrips * r.activity * Seasonality.MAX_SHOPPING;
        double gap = -Math.log(1 - r.rng.nextDouble()) * 7 / weekly;
        return Math.max(1, Math.round(gap));
    }

    private static long lifeGap(SplittableRandom rng) {
        return 1 + (long) (-Math.log(1 - rng.nextDouble()) * 365 / LIFE_TOTAL);
    }

    private long at(int hour, int minute, int second) {
        return todayStartMillis + ((hour * 3600L + minute * 60L + second) * 1000L);
    }

    private String postcode(Resident r) {
        return city.city().districts().get(r.district).postcode();
    }

    private List<String> interestIds(int mask) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < interests.size() && i < 31; i++) if ((mask & (1 << i)) != 0) ids.add(interests.get(i).id());
        return ids;
    }

    private int interestIndex(String id) {
        for (int i = 0; i < interests.size(); i++) if (interests.get(i).id().equals(id)) return i;
        return -1;
    }

    private static boolean has(Resident r, int interest) {
        return interest >= 0 && (r.interests & (1 << interest)) != 0;
    }

    private static String anyCard(Resident r) {
        return r.cards.size() == 1 ? r.cards.get(0) : r.cards.get(r.rng.nextInt(r.cards.size()));
    }

    private int pickEmployer(SplittableRandom rng) {
        double[] w = new double[employers.size()];
        for (int i = 0; i < w.length; i++) w[i] = employers.get(i).weight();
        return pickWeighted(w, rng);
    }

    private static int pickWeighted(double[] w, SplittableRandom rng) {
        double total = 0;
        for (double v : w) total += v;
        double u = rng.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            if (u < w[i]) return i;
            u -= w[i];
        }
        return w.length - 1;
    }

    private static BitSet follows(Resident r) { return r.follows; }
    private static BitSet newsletters(Resident r) { return r.newsletters; }

    private static int nthSetBit(BitSet b, int n) {
        int i = b.nextSetBit(0);
        for (int k = 0; k < n; k++) i = b.nextSetBit(i + 1);
        return i;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }

    private void emit(long time, String type, String resident, String card, SimParticipant sender, String data) {
        today.add(pending(time, type, resident, card, sender, data));
    }

    /** Event ids number the events in generation order: unique and stable for a seed. */
    private Pending pending(long time, String type, String resident, String card, SimParticipant sender, String data) {
        long s = seq++;
        return new Pending(time, s, new SimEvent(idPrefix + "-" + s, type, time, resident, card, cityId, sender.id(), data));
    }
}
