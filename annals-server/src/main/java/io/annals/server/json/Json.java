package io.annals.server.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.annals.serialization.EventSerializer;

/**
 * The node's JSON settings: the core's defaults, made strict for input that comes from outside
 * (duplicate keys refused, decimals kept exactly as sent).
 */
public final class Json {

    private Json() {
    }

    public static ObjectMapper strictMapper() {
        ObjectMapper mapper = EventSerializer.defaultMapper().copy();
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // keep decimals as written (1.50 stays 1.50), as PostgreSQL's numeric does
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        // Jackson keeps its parse buffers per thread by default; the node's threads are virtual
        // and live for one request, so that would allocate fresh buffers for every request
        mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
        return mapper;
    }
}
