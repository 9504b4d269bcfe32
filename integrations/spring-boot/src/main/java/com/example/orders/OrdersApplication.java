package com.example.orders;

import dev.mapretention.micrometer.MapRetentionMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }

    /** The map-retention agent's gauges (map_retention_* on /actuator/prometheus); NaN without the agent. */
    @Bean
    MeterBinder mapRetention() {
        return new MapRetentionMetrics();
    }
}
