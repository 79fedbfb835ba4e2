package dev.lvs.e2e.support;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every request one Kubernetes client sends to the API server, as the client sends it: an
 * interceptor on its HTTP client, so a write counts even when the server finds it changes nothing
 * (a no-op server-side apply leaves the resourceVersion alone, so a watch would never see it), and
 * the status code of every response it gets.
 */
public final class ApiCalls implements Interceptor {
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** One request: its method and its path with the query. */
  public record Call(String method, String path) {
    /**
     * A request that can change what the API server stores. Access reviews are POSTs but only
     * questions (JOSDK asks one at start-up about the Lease), and persist nothing.
     */
    public boolean write() {
      return WRITES.contains(method) && !path.startsWith("/apis/authorization.k8s.io/");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** One response: the request's method and path, and the HTTP status code. */
  public record Response(String method, String path, int code) {
    @Override
    public String toString() {
      return code + " " + method + " " + path;
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Response> responses = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    calls.add(new Call(request.method(), pathAndQuery(request.uri())));
  }

  @Override
  public void after(
      HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> body) {
    responses.add(new Response(request.method(), pathAndQuery(request.uri()), response.code()));
  }

  private static String pathAndQuery(URI uri) {
    String query = uri.getRawQuery();
    return uri.getRawPath() + (query == null ? "" : "?" + query);
  }

  public List<Call> all() {
    return List.copyOf(calls);
  }

  /** The writes, less those {@code ignore} accepts. */
  public List<Call> writes(Predicate<Call> ignore) {
    return calls.stream().filter(Call::write).filter(ignore.negate()).toList();
  }

  /** The responses with this status code, e.g. 409 for optimistic-lock conflicts. */
  public List<Response> responses(int code) {
    return responses.stream().filter(r -> r.code() == code).toList();
  }

  public void clear() {
    calls.clear();
    responses.clear();
  }

  /** Writes to Leases (leader election), which every replica makes. */
  public static boolean lease(Call c) {
    return c.path().startsWith("/apis/coordination.k8s.io/");
  }
}
