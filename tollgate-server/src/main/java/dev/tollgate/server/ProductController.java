package dev.tollgate.server;

import dev.tollgate.store.Page;
import dev.tollgate.store.ProductRow;
import dev.tollgate.store.TrustAnchorRow;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Products, their trust anchors and their policy. */
@RestController
final class ProductController {

    private final Products products;

    ProductController(Products products) {
        this.products = products;
    }

    @PostMapping(path = "/api/v1/products", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PRODUCT_WRITE)
    ResponseEntity<Api.Product> create(@RequestBody Api.CreateProduct request) {
        ProductRow row = products.create(PermissionInterceptor.caller(), request);
        return ResponseEntity.created(URI.create("/api/v1/products/" + row.id()))
                .body(product(row));
    }

    @GetMapping("/api/v1/products")
    @RequiresPermission(Permission.PRODUCT_READ)
    Api.ListPage<Api.Product> list(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Page<ProductRow> page = products.page(Validation.cursor(cursor), Validation.limit(limit));
        return new Api.ListPage<>(
                page.items().stream().map(ProductController::product).toList(),
                page.next().orElse(null));
    }

    @GetMapping("/api/v1/products/{id}")
    @RequiresPermission(Permission.PRODUCT_READ)
    Api.Product get(@PathVariable String id) {
        return product(products.find(id));
    }

    @PostMapping(
            path = "/api/v1/products/{id}/trust-anchors",
            consumes = {"application/x-pem-file", "application/pem-certificate-chain", "text/plain"})
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.PRODUCT_WRITE)
    @StepUp
    Api.TrustAnchorsAdded addTrustAnchors(@PathVariable String id, @RequestBody(required = false) String pem) {
        var added = products.addTrustAnchors(PermissionInterceptor.caller(), id, pem);
        return new Api.TrustAnchorsAdded(
                id,
                added.stream().map(ProductController::anchor).toList(),
                products.trustAnchors(id).stream()
                        .map(ProductController::anchor)
                        .toList());
    }

    @GetMapping("/api/v1/products/{id}/trust-anchors")
    @RequiresPermission(Permission.PRODUCT_READ)
    java.util.List<Api.TrustAnchor> trustAnchors(@PathVariable String id) {
        return products.trustAnchors(id).stream().map(ProductController::anchor).toList();
    }

    @PutMapping(
            path = "/api/v1/products/{id}/policy",
            consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    @RequiresPermission(Permission.PRODUCT_WRITE)
    @StepUp
    Api.PolicySet putPolicy(@PathVariable String id, @RequestBody(required = false) String yaml) {
        String sha256 = products.putPolicy(PermissionInterceptor.caller(), id, yaml);
        return new Api.PolicySet(id, sha256, java.time.Instant.now());
    }

    @GetMapping(path = "/api/v1/products/{id}/policy", produces = "application/yaml")
    @RequiresPermission(Permission.PRODUCT_READ)
    String policy(@PathVariable String id) {
        return products.policy(id)
                .orElseThrow(() -> ProblemException.notFound(
                        "This product has no policy of its own; the default policy applies (critical blocks, high"
                                + " holds)."));
    }

    static Api.Product product(ProductRow row) {
        return new Api.Product(
                row.id(),
                row.vendor(),
                row.name(),
                row.vendorId().orElse(null),
                row.maxReleaseBytes(),
                row.createdAt());
    }

    private static Api.TrustAnchor anchor(TrustAnchorRow row) {
        return new Api.TrustAnchor(row.id(), row.subject(), row.thumbprintSha256(), row.createdAt());
    }
}
