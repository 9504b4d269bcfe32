package com.example.orders;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.HashMap;
import java.util.Map;

/**
 * A batch that fills a long-lived map and then empties it: the map keeps its peak-size table
 * afterwards, which the agent reports.
 */
@RestController
class BatchController {

    private final Map<Integer, String> pending = new HashMap<>();

    @PostMapping("/batch")
    synchronized String batch(@RequestParam(defaultValue = "100000") int orders) {
        for (int i = 0; i < orders; i++) {
            pending.put(i, "order-" + i);
        }
        pending.clear();
        return "processed " + orders + " orders; pending: " + pending.size() + "\n";
    }
}
