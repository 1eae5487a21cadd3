package dev.tollgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Products, their trust anchors and their policy. */
public final class ProductRepository {

    private final JdbcClient jdbc;

    public ProductRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the vendor already has a product of that name */
    public void insert(ProductRow product) {
        jdbc.sql("""
                        INSERT INTO products (id, vendor, name, vendor_id, max_release_bytes, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        product.id(),
                        product.vendor(),
                        product.name(),
                        product.vendorId().orElse(null),
                        product.maxReleaseBytes(),
                        product.createdBy(),
                        Rows.time(product.createdAt()))
                .update();
    }

    public Optional<ProductRow> find(String id) {
        return jdbc.sql("SELECT * FROM products WHERE id = ?")
                .param(id)
                .query(ProductRepository::product)
                .optional();
    }

    /** Products in creation order, after the cursor (the last id of the previous page). */
    public Page<ProductRow> page(Optional<String> after, int limit) {
        List<ProductRow> rows = jdbc.sql("SELECT * FROM products WHERE id > ? ORDER BY id LIMIT ?")
                .params(after.orElse(""), limit + 1)
                .query(ProductRepository::product)
                .list();
        return Page.of(rows, limit, ProductRow::id);
    }

    /** Adds a root; false when the product already trusts that certificate. */
    public boolean addTrustAnchor(TrustAnchorRow anchor) {
        return jdbc.sql("""
                        INSERT INTO trust_anchors (id, product_id, subject, thumbprint_sha256, pem, created_by, created_at)
                        SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS
                            (SELECT 1 FROM trust_anchors WHERE product_id = ? AND thumbprint_sha256 = ?)""")
                        .params(
                                anchor.id(),
                                anchor.productId(),
                                anchor.subject(),
                                anchor.thumbprintSha256(),
                                anchor.pem(),
                                anchor.createdBy(),
                                Rows.time(anchor.createdAt()),
                                anchor.productId(),
                                anchor.thumbprintSha256())
                        .update()
                == 1;
    }

    public List<TrustAnchorRow> trustAnchors(String productId) {
        return jdbc.sql("SELECT * FROM trust_anchors WHERE product_id = ? ORDER BY id")
                .param(productId)
                .query((rs, n) -> new TrustAnchorRow(
                        rs.getString("id"),
                        rs.getString("product_id"),
                        rs.getString("subject"),
                        rs.getString("thumbprint_sha256"),
                        rs.getString("pem"),
                        rs.getString("created_by"),
                        Rows.instant(rs, "created_at")))
                .list();
    }

    /** Sets the product's policy (the CLI's YAML), replacing the one in force. */
    public void putPolicy(String productId, String yaml, String sha256, String actor, Instant at) {
        int updated = jdbc.sql(
                        "UPDATE policies SET yaml = ?, sha256 = ?, updated_by = ?, updated_at = ? WHERE product_id = ?")
                .params(yaml, sha256, actor, Rows.time(at), productId)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO policies (product_id, yaml, sha256, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .params(productId, yaml, sha256, actor, Rows.time(at))
                    .update();
        }
    }

    /** The product's policy YAML, when one was set. */
    public Optional<String> policy(String productId) {
        return jdbc.sql("SELECT yaml FROM policies WHERE product_id = ?")
                .param(productId)
                .query(String.class)
                .optional();
    }

    private static ProductRow product(ResultSet rs, int row) throws SQLException {
        return new ProductRow(
                rs.getString("id"),
                rs.getString("vendor"),
                rs.getString("name"),
                Rows.optionalString(rs, "vendor_id"),
                rs.getLong("max_release_bytes"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"));
    }
}
