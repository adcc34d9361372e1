package dev.mqttkit.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mqttkit.PayloadCodecException;
import dev.mqttkit.codec.PayloadCodec;
import java.io.IOException;
import java.lang.reflect.Type;

/** A {@link PayloadCodec} over a reused Jackson reader and writer, bound to one type. */
final class JacksonCodec<T> implements PayloadCodec<T> {

    private final Type type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    JacksonCodec(Type type, ObjectReader reader, ObjectWriter writer) {
        this.type = type;
        this.reader = reader;
        this.writer = writer;
    }

    @Override
    public byte[] encode(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new PayloadCodecException("Cannot write " + type.getTypeName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] payload) {
        try {
            return reader.readValue(payload);
        } catch (IOException e) {
            throw PayloadCodecException.wrap(e);
        }
    }

    @Override
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "JsonCodec[" + type.getTypeName() + "]";
    }
}
