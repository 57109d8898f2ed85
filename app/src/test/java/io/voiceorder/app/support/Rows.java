package io.voiceorder.app.support;

import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.embedded.EmbeddedBackend;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads rows of the embedded backend's database, for tests that check what was stored. */
public final class Rows {
    private Rows() {
    }

    /** Rows of {@code sql} (with {@code ?} bound to {@code args}); column names in lower case. */
    public static List<Map<String, Object>> query(RestaurantBackend backend, String sql, Object... args) {
        try {
            return ((EmbeddedBackend) backend).database().read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        ps.setObject(i + 1, args[i]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        List<Map<String, Object>> rows = new ArrayList<>();
                        while (rs.next()) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                            }
                            rows.add(row);
                        }
                        return rows;
                    }
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
