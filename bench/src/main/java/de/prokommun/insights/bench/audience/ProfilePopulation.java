package de.prokommun.insights.bench.audience;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.city.CityModel;
import de.prokommun.insights.simulator.population.PopulationModel;
import de.prokommun.insights.simulator.population.Resident;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Profile rows of a synthetic Musterstadt population (the simulator's residents: age, gender, district,
 * household, interests and offer consent drawn to the city's census shares), with the city's demographic
 * personas derived as personas.json defines them and behavioural personas at plausible rates, written
 * straight to the profiles topic as the profile job would write them.
 */
public final class ProfilePopulation {

    private final Musterstadt city;
    private final LocalDate today;

    public ProfilePopulation(Musterstadt city) {
        this(city, LocalDate.now());
    }

    /** Residents as they are on {@code today} (a fixed date makes the population reproducible). */
    public ProfilePopulation(Musterstadt city, LocalDate today) {
        this.city = city;
        this.today = today;
    }

    /**
     * The rows of residents {@code from} (inclusive) to {@code to} (exclusive) in memory, exactly as {@link #write}
     * sends them (same seed, same rows): for benchmarks that count without Pinot (bench/run accuracy).
     */
    public List<ProfileRow> rows(int from, int to, long seed) {
        Resident[] residents = city.residents(seed + from, to - from, today);
        List<CityModel.District> districts = city.city().districts();
        List<PopulationModel.Interest> interests = city.populationModel().interests();
        SplittableRandom rnd = new SplittableRandom(seed ^ from);
        List<ProfileRow> rows = new ArrayList<>(residents.length);
        for (int i = 0; i < residents.length; i++) rows.add(row(residents[i], from + i, districts, interests, rnd));
        return rows;
    }

    /** Writes residents {@code from} (inclusive) to {@code to} (exclusive) of a population of {@code to}. */
    long write(String bootstrap, String topic, int from, int to, long seed) {
        Resident[] residents = city.residents(seed + from, to - from, today);
        List<CityModel.District> districts = city.city().districts();
        List<PopulationModel.Interest> interests = city.populationModel().interests();
        SplittableRandom rnd = new SplittableRandom(seed ^ from);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long written = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < residents.length; i++) {
                ProfileRow row = row(residents[i], from + i, districts, interests, rnd);
                producer.send(new ProducerRecord<>(topic, row.getPseudonym(), Topics.PROFILES.codec().encode(row)));
                written++;
            }
            producer.flush();
        }
        return written;
    }

    private ProfileRow row(Resident r, int n, List<CityModel.District> districts, List<PopulationModel.Interest> all,
                           SplittableRandom rnd) {
        int age = r.ageOn(today);
        List<String> interests = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) if ((r.interests & (1 << i)) != 0) interests.add(all.get(i).id());
        String household = r.household.name();
        List<String> personas = new ArrayList<>();
        if (age >= 13 && age <= 17) personas.add("teenager");
        if (age >= 18 && age <= 29) personas.add("young_adult");
        if (age >= 18 && household.equals("SINGLE")) personas.add("single");
        if (household.equals("COUPLE")) personas.add("couple");
        if (household.equals("FAMILY")) personas.add("family");
        if (household.equals("SINGLE_PARENT")) personas.add("single_parent");
        if (age >= 50 && age <= 64) personas.add("best_ager");
        if (age >= 65) personas.add("senior");
        if (interests.contains("kultur") || rnd.nextInt(20) == 0) personas.add("culture_fan");
        if (rnd.nextInt(7) == 0) personas.add("voucher_user");
        if (rnd.nextInt(10) == 0) personas.add("club_member");
        if (rnd.nextInt(3) == 0) personas.add("regular_shopper");
        long version = 1;
        return ProfileRow.newBuilder()
                .setPseudonym(String.format("psn-bench-%016x-%08d", rnd.nextLong(), n))
                .setCity(Musterstadt.CITY)
                .setBirthYear(today.getYear() - age).setAge(age).setAgeBand(ageBand(age))
                .setGender(r.declaredGender.name())
                .setDistrict(districts.get(r.district).name())
                .setHouseholdType(household)
                .setPersonas(personas).setInterests(interests)
                .setConsentOffers(r.offers).setConsentNewsletter(r.newsletter)
                .setRegisteredDay((int) today.toEpochDay() - rnd.nextInt(700))
                .setLastActivityDay((int) today.toEpochDay() - rnd.nextInt(60))
                .setDeleted(rnd.nextInt(200) == 0)
                .setUpdatedAt(System.currentTimeMillis()).setVersion(version)
                .build();
    }

    private String ageBand(int age) {
        for (CityModel.AgeBand band : city.city().ageBands()) if (band.contains(age)) return band.band();
        return null;
    }
}
