package dev.tollgate.server;

import dev.tollgate.store.IntelFeedRow;
import dev.tollgate.store.Page;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/** Intel feeds: import (then a retro-hunt runs) and list. */
@RestController
final class IntelController {

    private final Intel intel;

    IntelController(Intel intel) {
        this.intel = intel;
    }

    @PostMapping(path = "/api/v1/intel", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @RequiresPermission(Permission.INTEL_IMPORT)
    ResponseEntity<Api.FeedImported> importFeed(HttpServletRequest request) throws MissingServletRequestPartException {
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw ProblemException.badRequest("The body must be multipart/form-data with the field 'file'.");
        }
        MultipartFile file = multipart.getFile("file");
        if (file == null) {
            throw new MissingServletRequestPartException("file");
        }
        IntelFeedRow feed = intel.importFeed(
                PermissionInterceptor.caller(), file.getOriginalFilename(), file.getSize(), file::getInputStream);
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/intel/feeds/" + feed.id()))
                .body(new Api.FeedImported(feed.id(), feed.loaded(), feed.skipped(), feed.duplicates(), feed.format()));
    }

    @GetMapping("/api/v1/intel/feeds")
    @RequiresPermission(Permission.INTEL_READ)
    Api.ListPage<Api.Feed> feeds(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Page<IntelFeedRow> page = intel.feeds(Validation.cursor(cursor), Validation.limit(limit));
        return new Api.ListPage<>(
                page.items().stream()
                        .map(f -> new Api.Feed(
                                f.id(),
                                f.name(),
                                f.format(),
                                f.sha256(),
                                f.loaded(),
                                f.skipped(),
                                f.duplicates(),
                                f.createdBy(),
                                f.createdAt()))
                        .toList(),
                page.next().orElse(null));
    }
}
