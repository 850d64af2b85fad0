#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: destination_rule
short_description: Manage an Istio DestinationRule idempotently
version_added: 0.1.0
description:
  - Create, update or delete an Istio C(DestinationRule) (C(networking.istio.io)) so that its spec is exactly the
    one given; labels and annotations set by others are kept.
  - A DestinationRule defines the subsets (versions) that a VirtualService's routes name, and the policies of the
    traffic to a host (load balancing, connection pool, outlier detection, client TLS).
  - Options use snake_case and also accept Istio's own camelCase names (C(trafficPolicy), C(loadBalancer),
    C(consecutive5xxErrors)...), so YAML copied from the Istio documentation works as written.
  - The spec is checked against istiod's admission rules and the CRD's enums before any request; the task fails once
    with every error, each naming its option path (for example C(subsets[1].name)). What istiod only warns about is
    shown as a warning and the task goes on.
  - A run that changes nothing sends one GET and no write. O(export_to) compares as a set.
author:
  - meshsmith.istio contributors (@meshsmith)
extends_documentation_fragment:
  - meshsmith.istio.resource
  - meshsmith.istio.k8s_auth
attributes:
  check_mode:
    support: full
    description:
      - Nothing is stored. A change is sent as a dry run (C(dryRun=All)), so the API server's schema, CEL rules
        and webhooks can refuse it; the result is the server's answer to the dry run. A no-op sends only the GET.
  diff_mode:
    support: full
    description: Shows metadata (name, namespace, labels, annotations) and spec before and after.
  platform:
    platforms: kubernetes
    support: full
    description: Talks to the Kubernetes API server.
seealso:
  - module: meshsmith.istio.destination_rule_info
  - module: meshsmith.istio.virtual_service
options:
  destination_host:
    description:
    - 'Service the rule applies to: a short name (C(reviews)), an FQDN (C(reviews.prod.svc.cluster.local)) or a ServiceEntry
      host; a wildcard prefix C(*.) is allowed.'
    - Short names are resolved in the DestinationRule's namespace.
    - The API's C(host) field; C(host) itself is the API server's address (see the connection options).
    type: str
  traffic_policy:
    description:
    - 'Policies for all ports and subsets: load balancing, connection pool, outlier detection, client TLS.'
    type: dict
    aliases:
    - trafficPolicy
    suboptions:
      connection_pool:
        description:
        - Connection limits to each upstream host.
        type: dict
        aliases:
        - connectionPool
        suboptions:
          tcp:
            description:
            - Settings of TCP and HTTP upstream connections.
            type: dict
            suboptions:
              max_connections:
                description:
                - Maximum number of HTTP1 /TCP connections to a destination host.
                type: int
                aliases:
                - maxConnections
              connect_timeout:
                description:
                - TCP connection timeout.
                type: str
                aliases:
                - connectTimeout
              tcp_keepalive:
                description:
                - TCP keepalive (SO_KEEPALIVE) settings.
                type: dict
                aliases:
                - tcpKeepalive
                suboptions:
                  probes:
                    description:
                    - Maximum number of keepalive probes to send without response before deciding the connection is dead.
                    type: int
                  time:
                    description:
                    - The time duration a connection needs to be idle before keep-alive probes start being sent.
                    type: str
                  interval:
                    description:
                    - The time duration between keep-alive probes.
                    type: str
              max_connection_duration:
                description:
                - The maximum duration of a connection.
                type: str
                aliases:
                - maxConnectionDuration
              idle_timeout:
                description:
                - The idle timeout for TCP connections.
                type: str
                aliases:
                - idleTimeout
          http:
            description:
            - HTTP connection pool settings.
            type: dict
            suboptions:
              http1_max_pending_requests:
                description:
                - Maximum number of requests that will be queued while waiting for a ready connection pool connection.
                type: int
                aliases:
                - http1MaxPendingRequests
              http2_max_requests:
                description:
                - Maximum number of active requests to a destination.
                type: int
                aliases:
                - http2MaxRequests
              max_requests_per_connection:
                description:
                - Maximum number of requests per connection to a backend.
                type: int
                aliases:
                - maxRequestsPerConnection
              max_retries:
                description:
                - Maximum number of retries that can be outstanding to all hosts in a cluster at a given time.
                type: int
                aliases:
                - maxRetries
              idle_timeout:
                description:
                - The idle timeout for upstream connection pool connections.
                type: str
                aliases:
                - idleTimeout
              h2_upgrade_policy:
                description:
                - 'Whether HTTP/1.1 connections are upgraded to HTTP/2: C(DEFAULT), C(DO_NOT_UPGRADE) or C(UPGRADE).'
                type: str
                aliases:
                - h2UpgradePolicy
              use_client_protocol:
                description:
                - If set to true, client protocol will be preserved while initiating connection to backend.
                type: bool
                aliases:
                - useClientProtocol
              max_concurrent_streams:
                description:
                - The maximum number of concurrent streams allowed for a peer on one HTTP/2 connection.
                type: int
                aliases:
                - maxConcurrentStreams
      load_balancer:
        description:
        - Load balancing; set one of C(simple) or C(consistent_hash).
        type: dict
        aliases:
        - loadBalancer
        suboptions:
          simple:
            description:
            - 'Load balancing algorithm: C(UNSPECIFIED), C(LEAST_CONN), C(RANDOM), C(PASSTHROUGH), C(ROUND_ROBIN) or C(LEAST_REQUEST).'
            type: str
          consistent_hash:
            description:
            - Session affinity by consistent hashing on one key.
            type: dict
            aliases:
            - consistentHash
            suboptions:
              http_header_name:
                description:
                - Hash based on a specific HTTP header.
                type: str
                aliases:
                - httpHeaderName
              http_cookie:
                description:
                - Hash based on HTTP cookie.
                type: dict
                aliases:
                - httpCookie
                suboptions:
                  name:
                    description:
                    - Name of the cookie.
                    type: str
                  path:
                    description:
                    - Path to set for the cookie.
                    type: str
                  ttl:
                    description:
                    - Lifetime of the cookie.
                    type: str
                  attributes:
                    description:
                    - Cookie attributes.
                    type: list
                    elements: dict
                    suboptions:
                      name:
                        description:
                        - The name of the cookie attribute.
                        type: str
                      value:
                        description:
                        - The optional value of the cookie attribute.
                        type: str
              use_source_ip:
                description:
                - Hash based on the source IP address.
                type: bool
                aliases:
                - useSourceIp
              http_query_parameter_name:
                description:
                - Hash based on a specific HTTP query parameter.
                type: str
                aliases:
                - httpQueryParameterName
              ring_hash:
                description:
                - The ring/modulo hash load balancer implements consistent hashing to backend hosts.
                type: dict
                aliases:
                - ringHash
                suboptions:
                  minimum_ring_size:
                    description:
                    - Minimum number of virtual nodes of the hash ring.
                    type: int
                    aliases:
                    - minimumRingSize
              maglev:
                description:
                - The Maglev load balancer implements consistent hashing to backend hosts.
                type: dict
                suboptions:
                  table_size:
                    description:
                    - The table size for Maglev hashing.
                    type: int
                    aliases:
                    - tableSize
              minimum_ring_size:
                description:
                - Minimum number of virtual nodes of the hash ring.
                type: int
                aliases:
                - minimumRingSize
          locality_lb_setting:
            description:
            - Locality-weighted load balancing; C(distribute) and C(failover) are mutually exclusive.
            type: dict
            aliases:
            - localityLbSetting
            suboptions:
              distribute:
                description:
                - Traffic shares from one locality to others.
                type: list
                elements: dict
                suboptions:
                  from:
                    description:
                    - Originating locality or region.
                    type: str
                  to:
                    description:
                    - Upstream localities and their weights (percent); the weights add up to 100.
                    type: dict
              failover:
                description:
                - Region to fail over to, per origin region; needs outlier detection.
                type: list
                elements: dict
                suboptions:
                  from:
                    description:
                    - Originating locality or region.
                    type: str
                  to:
                    description:
                    - Region to fail over to.
                    type: str
              failover_priority:
                description:
                - Ordered labels used to sort endpoints for failover.
                type: list
                elements: str
                aliases:
                - failoverPriority
              enabled:
                description:
                - Enable locality load balancing.
                type: bool
          warmup_duration_secs:
            description:
            - Deprecated, use O(traffic_policy.load_balancer.warmup).
            type: str
            aliases:
            - warmupDurationSecs
          warmup:
            description:
            - Slow start of new endpoints.
            type: dict
            suboptions:
              duration:
                description:
                - Warmup duration.
                type: str
              minimum_percent:
                description:
                - Initial share of traffic, in percent.
                type: float
                aliases:
                - minimumPercent
              aggression:
                description:
                - This parameter controls the speed of traffic increase over the warmup duration.
                type: float
      outlier_detection:
        description:
        - Ejection of unhealthy hosts from the load balancing pool.
        type: dict
        aliases:
        - outlierDetection
        suboptions:
          split_external_local_origin_errors:
            description:
            - Determines whether to distinguish local origin failures from external errors.
            type: bool
            aliases:
            - splitExternalLocalOriginErrors
          consecutive_local_origin_failures:
            description:
            - The number of consecutive locally originated failures before ejection occurs.
            type: int
            aliases:
            - consecutiveLocalOriginFailures
          consecutive_gateway_errors:
            description:
            - Number of gateway errors before a host is ejected from the connection pool.
            type: int
            aliases:
            - consecutiveGatewayErrors
          consecutive_5xx_errors:
            description:
            - Number of 5xx errors before a host is ejected from the connection pool.
            type: int
            aliases:
            - consecutive5xxErrors
          consecutive_errors:
            description:
            - Deprecated, use O(traffic_policy.outlier_detection.consecutive_5xx_errors).
            type: int
            aliases:
            - consecutiveErrors
          interval:
            description:
            - Time interval between ejection sweep analysis.
            type: str
          base_ejection_time:
            description:
            - Minimum ejection duration.
            type: str
            aliases:
            - baseEjectionTime
          max_ejection_percent:
            description:
            - Maximum % of hosts in the load balancing pool for the upstream service that can be ejected.
            type: int
            aliases:
            - maxEjectionPercent
          min_health_percent:
            description:
            - Outlier detection will be enabled as long as the associated load balancing pool has at least C(minHealthPercent)
              hosts in healthy mode.
            type: int
            aliases:
            - minHealthPercent
      tls:
        description:
        - TLS related settings for connections to the upstream service.
        type: dict
        suboptions:
          mode:
            description:
            - 'TLS mode: C(DISABLE), C(SIMPLE), C(MUTUAL) or C(ISTIO_MUTUAL).'
            type: str
          client_certificate:
            description:
            - Path to the client certificate file (mode C(MUTUAL) without a credential name).
            type: str
            aliases:
            - clientCertificate
          private_key:
            description:
            - Path to the client private key file (mode C(MUTUAL) without a credential name). A path on the proxy, not a secret.
            type: str
            aliases:
            - privateKey
          ca_certificates:
            description:
            - The path to the file containing certificate authority certificates to use in verifying a presented server certificate.
            type: str
            aliases:
            - caCertificates
          credential_name:
            description:
            - The name of the secret that holds the TLS certs for the client including the CA certificates.
            type: str
            aliases:
            - credentialName
          subject_alt_names:
            description:
            - A list of alternate names to verify the subject identity in the certificate.
            type: list
            elements: str
            aliases:
            - subjectAltNames
          sni:
            description:
            - SNI string to present to the server during TLS handshake.
            type: str
          insecure_skip_verify:
            description:
            - C(insecureSkipVerify) specifies whether the proxy should skip verifying the CA signature and SAN for the server
              certificate corresponding to the host.
            type: bool
            aliases:
            - insecureSkipVerify
          ca_crl:
            description:
            - The path to the file containing the certificate revocation list (CRL) to use in verifying a presented server
              certificate.
            type: str
            aliases:
            - caCrl
      port_level_settings:
        description:
        - Policies for one port of the destination, overriding those above; each needs O(traffic_policy.port_level_settings[].port).
        type: list
        elements: dict
        aliases:
        - portLevelSettings
        suboptions:
          port:
            description:
            - Port of the destination these settings apply to.
            type: dict
            suboptions:
              number:
                description:
                - Port number.
                type: int
          connection_pool:
            description:
            - Connection limits to each upstream host.
            type: dict
            aliases:
            - connectionPool
            suboptions:
              tcp:
                description:
                - Settings of TCP and HTTP upstream connections.
                type: dict
                suboptions:
                  max_connections:
                    description:
                    - Maximum number of HTTP1 /TCP connections to a destination host.
                    type: int
                    aliases:
                    - maxConnections
                  connect_timeout:
                    description:
                    - TCP connection timeout.
                    type: str
                    aliases:
                    - connectTimeout
                  tcp_keepalive:
                    description:
                    - TCP keepalive (SO_KEEPALIVE) settings.
                    type: dict
                    aliases:
                    - tcpKeepalive
                    suboptions:
                      probes:
                        description:
                        - Maximum number of keepalive probes to send without response before deciding the connection is dead.
                        type: int
                      time:
                        description:
                        - The time duration a connection needs to be idle before keep-alive probes start being sent.
                        type: str
                      interval:
                        description:
                        - The time duration between keep-alive probes.
                        type: str
                  max_connection_duration:
                    description:
                    - The maximum duration of a connection.
                    type: str
                    aliases:
                    - maxConnectionDuration
                  idle_timeout:
                    description:
                    - The idle timeout for TCP connections.
                    type: str
                    aliases:
                    - idleTimeout
              http:
                description:
                - HTTP connection pool settings.
                type: dict
                suboptions:
                  http1_max_pending_requests:
                    description:
                    - Maximum number of requests that will be queued while waiting for a ready connection pool connection.
                    type: int
                    aliases:
                    - http1MaxPendingRequests
                  http2_max_requests:
                    description:
                    - Maximum number of active requests to a destination.
                    type: int
                    aliases:
                    - http2MaxRequests
                  max_requests_per_connection:
                    description:
                    - Maximum number of requests per connection to a backend.
                    type: int
                    aliases:
                    - maxRequestsPerConnection
                  max_retries:
                    description:
                    - Maximum number of retries that can be outstanding to all hosts in a cluster at a given time.
                    type: int
                    aliases:
                    - maxRetries
                  idle_timeout:
                    description:
                    - The idle timeout for upstream connection pool connections.
                    type: str
                    aliases:
                    - idleTimeout
                  h2_upgrade_policy:
                    description:
                    - 'Whether HTTP/1.1 connections are upgraded to HTTP/2: C(DEFAULT), C(DO_NOT_UPGRADE) or C(UPGRADE).'
                    type: str
                    aliases:
                    - h2UpgradePolicy
                  use_client_protocol:
                    description:
                    - If set to true, client protocol will be preserved while initiating connection to backend.
                    type: bool
                    aliases:
                    - useClientProtocol
                  max_concurrent_streams:
                    description:
                    - The maximum number of concurrent streams allowed for a peer on one HTTP/2 connection.
                    type: int
                    aliases:
                    - maxConcurrentStreams
          load_balancer:
            description:
            - Load balancing; set one of C(simple) or C(consistent_hash).
            type: dict
            aliases:
            - loadBalancer
            suboptions:
              simple:
                description:
                - 'Load balancing algorithm: C(UNSPECIFIED), C(LEAST_CONN), C(RANDOM), C(PASSTHROUGH), C(ROUND_ROBIN) or C(LEAST_REQUEST).'
                type: str
              consistent_hash:
                description:
                - Session affinity by consistent hashing on one key.
                type: dict
                aliases:
                - consistentHash
                suboptions:
                  http_header_name:
                    description:
                    - Hash based on a specific HTTP header.
                    type: str
                    aliases:
                    - httpHeaderName
                  http_cookie:
                    description:
                    - Hash based on HTTP cookie.
                    type: dict
                    aliases:
                    - httpCookie
                    suboptions:
                      name:
                        description:
                        - Name of the cookie.
                        type: str
                      path:
                        description:
                        - Path to set for the cookie.
                        type: str
                      ttl:
                        description:
                        - Lifetime of the cookie.
                        type: str
                      attributes:
                        description:
                        - Cookie attributes.
                        type: list
                        elements: dict
                        suboptions:
                          name:
                            description:
                            - The name of the cookie attribute.
                            type: str
                          value:
                            description:
                            - The optional value of the cookie attribute.
                            type: str
                  use_source_ip:
                    description:
                    - Hash based on the source IP address.
                    type: bool
                    aliases:
                    - useSourceIp
                  http_query_parameter_name:
                    description:
                    - Hash based on a specific HTTP query parameter.
                    type: str
                    aliases:
                    - httpQueryParameterName
                  ring_hash:
                    description:
                    - The ring/modulo hash load balancer implements consistent hashing to backend hosts.
                    type: dict
                    aliases:
                    - ringHash
                    suboptions:
                      minimum_ring_size:
                        description:
                        - Minimum number of virtual nodes of the hash ring.
                        type: int
                        aliases:
                        - minimumRingSize
                  maglev:
                    description:
                    - The Maglev load balancer implements consistent hashing to backend hosts.
                    type: dict
                    suboptions:
                      table_size:
                        description:
                        - The table size for Maglev hashing.
                        type: int
                        aliases:
                        - tableSize
                  minimum_ring_size:
                    description:
                    - Minimum number of virtual nodes of the hash ring.
                    type: int
                    aliases:
                    - minimumRingSize
              locality_lb_setting:
                description:
                - Locality-weighted load balancing; C(distribute) and C(failover) are mutually exclusive.
                type: dict
                aliases:
                - localityLbSetting
                suboptions:
                  distribute:
                    description:
                    - Traffic shares from one locality to others.
                    type: list
                    elements: dict
                    suboptions:
                      from:
                        description:
                        - Originating locality or region.
                        type: str
                      to:
                        description:
                        - Upstream localities and their weights (percent); the weights add up to 100.
                        type: dict
                  failover:
                    description:
                    - Region to fail over to, per origin region; needs outlier detection.
                    type: list
                    elements: dict
                    suboptions:
                      from:
                        description:
                        - Originating locality or region.
                        type: str
                      to:
                        description:
                        - Region to fail over to.
                        type: str
                  failover_priority:
                    description:
                    - Ordered labels used to sort endpoints for failover.
                    type: list
                    elements: str
                    aliases:
                    - failoverPriority
                  enabled:
                    description:
                    - Enable locality load balancing.
                    type: bool
              warmup_duration_secs:
                description:
                - Deprecated, use O(traffic_policy.load_balancer.warmup).
                type: str
                aliases:
                - warmupDurationSecs
              warmup:
                description:
                - Slow start of new endpoints.
                type: dict
                suboptions:
                  duration:
                    description:
                    - Warmup duration.
                    type: str
                  minimum_percent:
                    description:
                    - Initial share of traffic, in percent.
                    type: float
                    aliases:
                    - minimumPercent
                  aggression:
                    description:
                    - This parameter controls the speed of traffic increase over the warmup duration.
                    type: float
          outlier_detection:
            description:
            - Ejection of unhealthy hosts from the load balancing pool.
            type: dict
            aliases:
            - outlierDetection
            suboptions:
              split_external_local_origin_errors:
                description:
                - Determines whether to distinguish local origin failures from external errors.
                type: bool
                aliases:
                - splitExternalLocalOriginErrors
              consecutive_local_origin_failures:
                description:
                - The number of consecutive locally originated failures before ejection occurs.
                type: int
                aliases:
                - consecutiveLocalOriginFailures
              consecutive_gateway_errors:
                description:
                - Number of gateway errors before a host is ejected from the connection pool.
                type: int
                aliases:
                - consecutiveGatewayErrors
              consecutive_5xx_errors:
                description:
                - Number of 5xx errors before a host is ejected from the connection pool.
                type: int
                aliases:
                - consecutive5xxErrors
              consecutive_errors:
                description:
                - Deprecated, use O(traffic_policy.outlier_detection.consecutive_5xx_errors).
                type: int
                aliases:
                - consecutiveErrors
              interval:
                description:
                - Time interval between ejection sweep analysis.
                type: str
              base_ejection_time:
                description:
                - Minimum ejection duration.
                type: str
                aliases:
                - baseEjectionTime
              max_ejection_percent:
                description:
                - Maximum % of hosts in the load balancing pool for the upstream service that can be ejected.
                type: int
                aliases:
                - maxEjectionPercent
              min_health_percent:
                description:
                - Outlier detection will be enabled as long as the associated load balancing pool has at least C(minHealthPercent)
                  hosts in healthy mode.
                type: int
                aliases:
                - minHealthPercent
          tls:
            description:
            - TLS related settings for connections to the upstream service.
            type: dict
            suboptions:
              mode:
                description:
                - 'TLS mode: C(DISABLE), C(SIMPLE), C(MUTUAL) or C(ISTIO_MUTUAL).'
                type: str
              client_certificate:
                description:
                - Path to the client certificate file (mode C(MUTUAL) without a credential name).
                type: str
                aliases:
                - clientCertificate
              private_key:
                description:
                - Path to the client private key file (mode C(MUTUAL) without a credential name). A path on the proxy, not
                  a secret.
                type: str
                aliases:
                - privateKey
              ca_certificates:
                description:
                - The path to the file containing certificate authority certificates to use in verifying a presented server
                  certificate.
                type: str
                aliases:
                - caCertificates
              credential_name:
                description:
                - The name of the secret that holds the TLS certs for the client including the CA certificates.
                type: str
                aliases:
                - credentialName
              subject_alt_names:
                description:
                - A list of alternate names to verify the subject identity in the certificate.
                type: list
                elements: str
                aliases:
                - subjectAltNames
              sni:
                description:
                - SNI string to present to the server during TLS handshake.
                type: str
              insecure_skip_verify:
                description:
                - C(insecureSkipVerify) specifies whether the proxy should skip verifying the CA signature and SAN for the
                  server certificate corresponding to the host.
                type: bool
                aliases:
                - insecureSkipVerify
              ca_crl:
                description:
                - The path to the file containing the certificate revocation list (CRL) to use in verifying a presented server
                  certificate.
                type: str
                aliases:
                - caCrl
      tunnel:
        description:
        - Configuration of tunneling TCP over other transport or application layers for the host configured in the DestinationRule.
        type: dict
        suboptions:
          protocol:
            description:
            - Specifies which protocol to use for tunneling the downstream connection.
            type: str
          target_host:
            description:
            - Specifies a host to which the downstream connection is tunneled.
            type: str
            aliases:
            - targetHost
          target_port:
            description:
            - Specifies a port to which the downstream connection is tunneled.
            type: int
            aliases:
            - targetPort
      proxy_protocol:
        description:
        - The upstream PROXY protocol settings.
        type: dict
        aliases:
        - proxyProtocol
        suboptions:
          version:
            description:
            - PROXY protocol version, C(V1) or C(V2).
            type: str
      retry_budget:
        description:
        - Specifies a limit on concurrent retries in relation to the number of active requests.
        type: dict
        aliases:
        - retryBudget
        suboptions:
          percent:
            description:
            - Specifies the limit on concurrent retries as a percentage of the sum of active requests and active pending requests.
            type: float
          min_retry_concurrency:
            description:
            - Specifies the minimum retry concurrency allowed for the retry budget.
            type: int
            aliases:
            - minRetryConcurrency
  subsets:
    description:
    - Named groups of endpoints (versions) selected by labels; the names are what O(meshsmith.istio.virtual_service#module:http[].route[].destination.subset)
      refers to.
    - Names must be unique.
    type: list
    elements: dict
    suboptions:
      name:
        description:
        - Name of the subset.
        type: str
      labels:
        description:
        - Labels that select the subset's endpoints; at least one.
        type: dict
      traffic_policy:
        description:
        - 'Policies for all ports and subsets: load balancing, connection pool, outlier detection, client TLS.'
        type: dict
        aliases:
        - trafficPolicy
        suboptions:
          connection_pool:
            description:
            - Connection limits to each upstream host.
            type: dict
            aliases:
            - connectionPool
            suboptions:
              tcp:
                description:
                - Settings of TCP and HTTP upstream connections.
                type: dict
                suboptions:
                  max_connections:
                    description:
                    - Maximum number of HTTP1 /TCP connections to a destination host.
                    type: int
                    aliases:
                    - maxConnections
                  connect_timeout:
                    description:
                    - TCP connection timeout.
                    type: str
                    aliases:
                    - connectTimeout
                  tcp_keepalive:
                    description:
                    - TCP keepalive (SO_KEEPALIVE) settings.
                    type: dict
                    aliases:
                    - tcpKeepalive
                    suboptions:
                      probes:
                        description:
                        - Maximum number of keepalive probes to send without response before deciding the connection is dead.
                        type: int
                      time:
                        description:
                        - The time duration a connection needs to be idle before keep-alive probes start being sent.
                        type: str
                      interval:
                        description:
                        - The time duration between keep-alive probes.
                        type: str
                  max_connection_duration:
                    description:
                    - The maximum duration of a connection.
                    type: str
                    aliases:
                    - maxConnectionDuration
                  idle_timeout:
                    description:
                    - The idle timeout for TCP connections.
                    type: str
                    aliases:
                    - idleTimeout
              http:
                description:
                - HTTP connection pool settings.
                type: dict
                suboptions:
                  http1_max_pending_requests:
                    description:
                    - Maximum number of requests that will be queued while waiting for a ready connection pool connection.
                    type: int
                    aliases:
                    - http1MaxPendingRequests
                  http2_max_requests:
                    description:
                    - Maximum number of active requests to a destination.
                    type: int
                    aliases:
                    - http2MaxRequests
                  max_requests_per_connection:
                    description:
                    - Maximum number of requests per connection to a backend.
                    type: int
                    aliases:
                    - maxRequestsPerConnection
                  max_retries:
                    description:
                    - Maximum number of retries that can be outstanding to all hosts in a cluster at a given time.
                    type: int
                    aliases:
                    - maxRetries
                  idle_timeout:
                    description:
                    - The idle timeout for upstream connection pool connections.
                    type: str
                    aliases:
                    - idleTimeout
                  h2_upgrade_policy:
                    description:
                    - 'Whether HTTP/1.1 connections are upgraded to HTTP/2: C(DEFAULT), C(DO_NOT_UPGRADE) or C(UPGRADE).'
                    type: str
                    aliases:
                    - h2UpgradePolicy
                  use_client_protocol:
                    description:
                    - If set to true, client protocol will be preserved while initiating connection to backend.
                    type: bool
                    aliases:
                    - useClientProtocol
                  max_concurrent_streams:
                    description:
                    - The maximum number of concurrent streams allowed for a peer on one HTTP/2 connection.
                    type: int
                    aliases:
                    - maxConcurrentStreams
          load_balancer:
            description:
            - Load balancing; set one of C(simple) or C(consistent_hash).
            type: dict
            aliases:
            - loadBalancer
            suboptions:
              simple:
                description:
                - 'Load balancing algorithm: C(UNSPECIFIED), C(LEAST_CONN), C(RANDOM), C(PASSTHROUGH), C(ROUND_ROBIN) or C(LEAST_REQUEST).'
                type: str
              consistent_hash:
                description:
                - Session affinity by consistent hashing on one key.
                type: dict
                aliases:
                - consistentHash
                suboptions:
                  http_header_name:
                    description:
                    - Hash based on a specific HTTP header.
                    type: str
                    aliases:
                    - httpHeaderName
                  http_cookie:
                    description:
                    - Hash based on HTTP cookie.
                    type: dict
                    aliases:
                    - httpCookie
                    suboptions:
                      name:
                        description:
                        - Name of the cookie.
                        type: str
                      path:
                        description:
                        - Path to set for the cookie.
                        type: str
                      ttl:
                        description:
                        - Lifetime of the cookie.
                        type: str
                      attributes:
                        description:
                        - Cookie attributes.
                        type: list
                        elements: dict
                        suboptions:
                          name:
                            description:
                            - The name of the cookie attribute.
                            type: str
                          value:
                            description:
                            - The optional value of the cookie attribute.
                            type: str
                  use_source_ip:
                    description:
                    - Hash based on the source IP address.
                    type: bool
                    aliases:
                    - useSourceIp
                  http_query_parameter_name:
                    description:
                    - Hash based on a specific HTTP query parameter.
                    type: str
                    aliases:
                    - httpQueryParameterName
                  ring_hash:
                    description:
                    - The ring/modulo hash load balancer implements consistent hashing to backend hosts.
                    type: dict
                    aliases:
                    - ringHash
                    suboptions:
                      minimum_ring_size:
                        description:
                        - Minimum number of virtual nodes of the hash ring.
                        type: int
                        aliases:
                        - minimumRingSize
                  maglev:
                    description:
                    - The Maglev load balancer implements consistent hashing to backend hosts.
                    type: dict
                    suboptions:
                      table_size:
                        description:
                        - The table size for Maglev hashing.
                        type: int
                        aliases:
                        - tableSize
                  minimum_ring_size:
                    description:
                    - Minimum number of virtual nodes of the hash ring.
                    type: int
                    aliases:
                    - minimumRingSize
              locality_lb_setting:
                description:
                - Locality-weighted load balancing; C(distribute) and C(failover) are mutually exclusive.
                type: dict
                aliases:
                - localityLbSetting
                suboptions:
                  distribute:
                    description:
                    - Traffic shares from one locality to others.
                    type: list
                    elements: dict
                    suboptions:
                      from:
                        description:
                        - Originating locality or region.
                        type: str
                      to:
                        description:
                        - Upstream localities and their weights (percent); the weights add up to 100.
                        type: dict
                  failover:
                    description:
                    - Region to fail over to, per origin region; needs outlier detection.
                    type: list
                    elements: dict
                    suboptions:
                      from:
                        description:
                        - Originating locality or region.
                        type: str
                      to:
                        description:
                        - Region to fail over to.
                        type: str
                  failover_priority:
                    description:
                    - Ordered labels used to sort endpoints for failover.
                    type: list
                    elements: str
                    aliases:
                    - failoverPriority
                  enabled:
                    description:
                    - Enable locality load balancing.
                    type: bool
              warmup_duration_secs:
                description:
                - Deprecated, use O(traffic_policy.load_balancer.warmup).
                type: str
                aliases:
                - warmupDurationSecs
              warmup:
                description:
                - Slow start of new endpoints.
                type: dict
                suboptions:
                  duration:
                    description:
                    - Warmup duration.
                    type: str
                  minimum_percent:
                    description:
                    - Initial share of traffic, in percent.
                    type: float
                    aliases:
                    - minimumPercent
                  aggression:
                    description:
                    - This parameter controls the speed of traffic increase over the warmup duration.
                    type: float
          outlier_detection:
            description:
            - Ejection of unhealthy hosts from the load balancing pool.
            type: dict
            aliases:
            - outlierDetection
            suboptions:
              split_external_local_origin_errors:
                description:
                - Determines whether to distinguish local origin failures from external errors.
                type: bool
                aliases:
                - splitExternalLocalOriginErrors
              consecutive_local_origin_failures:
                description:
                - The number of consecutive locally originated failures before ejection occurs.
                type: int
                aliases:
                - consecutiveLocalOriginFailures
              consecutive_gateway_errors:
                description:
                - Number of gateway errors before a host is ejected from the connection pool.
                type: int
                aliases:
                - consecutiveGatewayErrors
              consecutive_5xx_errors:
                description:
                - Number of 5xx errors before a host is ejected from the connection pool.
                type: int
                aliases:
                - consecutive5xxErrors
              consecutive_errors:
                description:
                - Deprecated, use O(traffic_policy.outlier_detection.consecutive_5xx_errors).
                type: int
                aliases:
                - consecutiveErrors
              interval:
                description:
                - Time interval between ejection sweep analysis.
                type: str
              base_ejection_time:
                description:
                - Minimum ejection duration.
                type: str
                aliases:
                - baseEjectionTime
              max_ejection_percent:
                description:
                - Maximum % of hosts in the load balancing pool for the upstream service that can be ejected.
                type: int
                aliases:
                - maxEjectionPercent
              min_health_percent:
                description:
                - Outlier detection will be enabled as long as the associated load balancing pool has at least C(minHealthPercent)
                  hosts in healthy mode.
                type: int
                aliases:
                - minHealthPercent
          tls:
            description:
            - TLS related settings for connections to the upstream service.
            type: dict
            suboptions:
              mode:
                description:
                - 'TLS mode: C(DISABLE), C(SIMPLE), C(MUTUAL) or C(ISTIO_MUTUAL).'
                type: str
              client_certificate:
                description:
                - Path to the client certificate file (mode C(MUTUAL) without a credential name).
                type: str
                aliases:
                - clientCertificate
              private_key:
                description:
                - Path to the client private key file (mode C(MUTUAL) without a credential name). A path on the proxy, not
                  a secret.
                type: str
                aliases:
                - privateKey
              ca_certificates:
                description:
                - The path to the file containing certificate authority certificates to use in verifying a presented server
                  certificate.
                type: str
                aliases:
                - caCertificates
              credential_name:
                description:
                - The name of the secret that holds the TLS certs for the client including the CA certificates.
                type: str
                aliases:
                - credentialName
              subject_alt_names:
                description:
                - A list of alternate names to verify the subject identity in the certificate.
                type: list
                elements: str
                aliases:
                - subjectAltNames
              sni:
                description:
                - SNI string to present to the server during TLS handshake.
                type: str
              insecure_skip_verify:
                description:
                - C(insecureSkipVerify) specifies whether the proxy should skip verifying the CA signature and SAN for the
                  server certificate corresponding to the host.
                type: bool
                aliases:
                - insecureSkipVerify
              ca_crl:
                description:
                - The path to the file containing the certificate revocation list (CRL) to use in verifying a presented server
                  certificate.
                type: str
                aliases:
                - caCrl
          port_level_settings:
            description:
            - Policies for one port of the destination, overriding those above; each needs O(traffic_policy.port_level_settings[].port).
            type: list
            elements: dict
            aliases:
            - portLevelSettings
            suboptions:
              port:
                description:
                - Port of the destination these settings apply to.
                type: dict
                suboptions:
                  number:
                    description:
                    - Port number.
                    type: int
              connection_pool:
                description:
                - Connection limits to each upstream host.
                type: dict
                aliases:
                - connectionPool
                suboptions:
                  tcp:
                    description:
                    - Settings of TCP and HTTP upstream connections.
                    type: dict
                    suboptions:
                      max_connections:
                        description:
                        - Maximum number of HTTP1 /TCP connections to a destination host.
                        type: int
                        aliases:
                        - maxConnections
                      connect_timeout:
                        description:
                        - TCP connection timeout.
                        type: str
                        aliases:
                        - connectTimeout
                      tcp_keepalive:
                        description:
                        - TCP keepalive (SO_KEEPALIVE) settings.
                        type: dict
                        aliases:
                        - tcpKeepalive
                        suboptions:
                          probes:
                            description:
                            - Maximum number of keepalive probes to send without response before deciding the connection is
                              dead.
                            type: int
                          time:
                            description:
                            - The time duration a connection needs to be idle before keep-alive probes start being sent.
                            type: str
                          interval:
                            description:
                            - The time duration between keep-alive probes.
                            type: str
                      max_connection_duration:
                        description:
                        - The maximum duration of a connection.
                        type: str
                        aliases:
                        - maxConnectionDuration
                      idle_timeout:
                        description:
                        - The idle timeout for TCP connections.
                        type: str
                        aliases:
                        - idleTimeout
                  http:
                    description:
                    - HTTP connection pool settings.
                    type: dict
                    suboptions:
                      http1_max_pending_requests:
                        description:
                        - Maximum number of requests that will be queued while waiting for a ready connection pool connection.
                        type: int
                        aliases:
                        - http1MaxPendingRequests
                      http2_max_requests:
                        description:
                        - Maximum number of active requests to a destination.
                        type: int
                        aliases:
                        - http2MaxRequests
                      max_requests_per_connection:
                        description:
                        - Maximum number of requests per connection to a backend.
                        type: int
                        aliases:
                        - maxRequestsPerConnection
                      max_retries:
                        description:
                        - Maximum number of retries that can be outstanding to all hosts in a cluster at a given time.
                        type: int
                        aliases:
                        - maxRetries
                      idle_timeout:
                        description:
                        - The idle timeout for upstream connection pool connections.
                        type: str
                        aliases:
                        - idleTimeout
                      h2_upgrade_policy:
                        description:
                        - 'Whether HTTP/1.1 connections are upgraded to HTTP/2: C(DEFAULT), C(DO_NOT_UPGRADE) or C(UPGRADE).'
                        type: str
                        aliases:
                        - h2UpgradePolicy
                      use_client_protocol:
                        description:
                        - If set to true, client protocol will be preserved while initiating connection to backend.
                        type: bool
                        aliases:
                        - useClientProtocol
                      max_concurrent_streams:
                        description:
                        - The maximum number of concurrent streams allowed for a peer on one HTTP/2 connection.
                        type: int
                        aliases:
                        - maxConcurrentStreams
              load_balancer:
                description:
                - Load balancing; set one of C(simple) or C(consistent_hash).
                type: dict
                aliases:
                - loadBalancer
                suboptions:
                  simple:
                    description:
                    - 'Load balancing algorithm: C(UNSPECIFIED), C(LEAST_CONN), C(RANDOM), C(PASSTHROUGH), C(ROUND_ROBIN)
                      or C(LEAST_REQUEST).'
                    type: str
                  consistent_hash:
                    description:
                    - Session affinity by consistent hashing on one key.
                    type: dict
                    aliases:
                    - consistentHash
                    suboptions:
                      http_header_name:
                        description:
                        - Hash based on a specific HTTP header.
                        type: str
                        aliases:
                        - httpHeaderName
                      http_cookie:
                        description:
                        - Hash based on HTTP cookie.
                        type: dict
                        aliases:
                        - httpCookie
                        suboptions:
                          name:
                            description:
                            - Name of the cookie.
                            type: str
                          path:
                            description:
                            - Path to set for the cookie.
                            type: str
                          ttl:
                            description:
                            - Lifetime of the cookie.
                            type: str
                          attributes:
                            description:
                            - Cookie attributes.
                            type: list
                            elements: dict
                            suboptions:
                              name:
                                description:
                                - The name of the cookie attribute.
                                type: str
                              value:
                                description:
                                - The optional value of the cookie attribute.
                                type: str
                      use_source_ip:
                        description:
                        - Hash based on the source IP address.
                        type: bool
                        aliases:
                        - useSourceIp
                      http_query_parameter_name:
                        description:
                        - Hash based on a specific HTTP query parameter.
                        type: str
                        aliases:
                        - httpQueryParameterName
                      ring_hash:
                        description:
                        - The ring/modulo hash load balancer implements consistent hashing to backend hosts.
                        type: dict
                        aliases:
                        - ringHash
                        suboptions:
                          minimum_ring_size:
                            description:
                            - Minimum number of virtual nodes of the hash ring.
                            type: int
                            aliases:
                            - minimumRingSize
                      maglev:
                        description:
                        - The Maglev load balancer implements consistent hashing to backend hosts.
                        type: dict
                        suboptions:
                          table_size:
                            description:
                            - The table size for Maglev hashing.
                            type: int
                            aliases:
                            - tableSize
                      minimum_ring_size:
                        description:
                        - Minimum number of virtual nodes of the hash ring.
                        type: int
                        aliases:
                        - minimumRingSize
                  locality_lb_setting:
                    description:
                    - Locality-weighted load balancing; C(distribute) and C(failover) are mutually exclusive.
                    type: dict
                    aliases:
                    - localityLbSetting
                    suboptions:
                      distribute:
                        description:
                        - Traffic shares from one locality to others.
                        type: list
                        elements: dict
                        suboptions:
                          from:
                            description:
                            - Originating locality or region.
                            type: str
                          to:
                            description:
                            - Upstream localities and their weights (percent); the weights add up to 100.
                            type: dict
                      failover:
                        description:
                        - Region to fail over to, per origin region; needs outlier detection.
                        type: list
                        elements: dict
                        suboptions:
                          from:
                            description:
                            - Originating locality or region.
                            type: str
                          to:
                            description:
                            - Region to fail over to.
                            type: str
                      failover_priority:
                        description:
                        - Ordered labels used to sort endpoints for failover.
                        type: list
                        elements: str
                        aliases:
                        - failoverPriority
                      enabled:
                        description:
                        - Enable locality load balancing.
                        type: bool
                  warmup_duration_secs:
                    description:
                    - Deprecated, use O(traffic_policy.load_balancer.warmup).
                    type: str
                    aliases:
                    - warmupDurationSecs
                  warmup:
                    description:
                    - Slow start of new endpoints.
                    type: dict
                    suboptions:
                      duration:
                        description:
                        - Warmup duration.
                        type: str
                      minimum_percent:
                        description:
                        - Initial share of traffic, in percent.
                        type: float
                        aliases:
                        - minimumPercent
                      aggression:
                        description:
                        - This parameter controls the speed of traffic increase over the warmup duration.
                        type: float
              outlier_detection:
                description:
                - Ejection of unhealthy hosts from the load balancing pool.
                type: dict
                aliases:
                - outlierDetection
                suboptions:
                  split_external_local_origin_errors:
                    description:
                    - Determines whether to distinguish local origin failures from external errors.
                    type: bool
                    aliases:
                    - splitExternalLocalOriginErrors
                  consecutive_local_origin_failures:
                    description:
                    - The number of consecutive locally originated failures before ejection occurs.
                    type: int
                    aliases:
                    - consecutiveLocalOriginFailures
                  consecutive_gateway_errors:
                    description:
                    - Number of gateway errors before a host is ejected from the connection pool.
                    type: int
                    aliases:
                    - consecutiveGatewayErrors
                  consecutive_5xx_errors:
                    description:
                    - Number of 5xx errors before a host is ejected from the connection pool.
                    type: int
                    aliases:
                    - consecutive5xxErrors
                  consecutive_errors:
                    description:
                    - Deprecated, use O(traffic_policy.outlier_detection.consecutive_5xx_errors).
                    type: int
                    aliases:
                    - consecutiveErrors
                  interval:
                    description:
                    - Time interval between ejection sweep analysis.
                    type: str
                  base_ejection_time:
                    description:
                    - Minimum ejection duration.
                    type: str
                    aliases:
                    - baseEjectionTime
                  max_ejection_percent:
                    description:
                    - Maximum % of hosts in the load balancing pool for the upstream service that can be ejected.
                    type: int
                    aliases:
                    - maxEjectionPercent
                  min_health_percent:
                    description:
                    - Outlier detection will be enabled as long as the associated load balancing pool has at least C(minHealthPercent)
                      hosts in healthy mode.
                    type: int
                    aliases:
                    - minHealthPercent
              tls:
                description:
                - TLS related settings for connections to the upstream service.
                type: dict
                suboptions:
                  mode:
                    description:
                    - 'TLS mode: C(DISABLE), C(SIMPLE), C(MUTUAL) or C(ISTIO_MUTUAL).'
                    type: str
                  client_certificate:
                    description:
                    - Path to the client certificate file (mode C(MUTUAL) without a credential name).
                    type: str
                    aliases:
                    - clientCertificate
                  private_key:
                    description:
                    - Path to the client private key file (mode C(MUTUAL) without a credential name). A path on the proxy,
                      not a secret.
                    type: str
                    aliases:
                    - privateKey
                  ca_certificates:
                    description:
                    - The path to the file containing certificate authority certificates to use in verifying a presented server
                      certificate.
                    type: str
                    aliases:
                    - caCertificates
                  credential_name:
                    description:
                    - The name of the secret that holds the TLS certs for the client including the CA certificates.
                    type: str
                    aliases:
                    - credentialName
                  subject_alt_names:
                    description:
                    - A list of alternate names to verify the subject identity in the certificate.
                    type: list
                    elements: str
                    aliases:
                    - subjectAltNames
                  sni:
                    description:
                    - SNI string to present to the server during TLS handshake.
                    type: str
                  insecure_skip_verify:
                    description:
                    - C(insecureSkipVerify) specifies whether the proxy should skip verifying the CA signature and SAN for
                      the server certificate corresponding to the host.
                    type: bool
                    aliases:
                    - insecureSkipVerify
                  ca_crl:
                    description:
                    - The path to the file containing the certificate revocation list (CRL) to use in verifying a presented
                      server certificate.
                    type: str
                    aliases:
                    - caCrl
          tunnel:
            description:
            - Configuration of tunneling TCP over other transport or application layers for the host configured in the DestinationRule.
            type: dict
            suboptions:
              protocol:
                description:
                - Specifies which protocol to use for tunneling the downstream connection.
                type: str
              target_host:
                description:
                - Specifies a host to which the downstream connection is tunneled.
                type: str
                aliases:
                - targetHost
              target_port:
                description:
                - Specifies a port to which the downstream connection is tunneled.
                type: int
                aliases:
                - targetPort
          proxy_protocol:
            description:
            - The upstream PROXY protocol settings.
            type: dict
            aliases:
            - proxyProtocol
            suboptions:
              version:
                description:
                - PROXY protocol version, C(V1) or C(V2).
                type: str
          retry_budget:
            description:
            - Specifies a limit on concurrent retries in relation to the number of active requests.
            type: dict
            aliases:
            - retryBudget
            suboptions:
              percent:
                description:
                - Specifies the limit on concurrent retries as a percentage of the sum of active requests and active pending
                  requests.
                type: float
              min_retry_concurrency:
                description:
                - Specifies the minimum retry concurrency allowed for the retry budget.
                type: int
                aliases:
                - minRetryConcurrency
  export_to:
    description:
    - 'Namespaces the DestinationRule is visible to: C(.) (its own namespace), C(*) (all, which cannot be combined with others)
      or namespace names.'
    - Compared as a set. Unset means all namespaces.
    type: list
    elements: str
    aliases:
    - exportTo
  workload_selector:
    description:
    - Limits the rule to the workloads with these labels, in the DestinationRule's own namespace; O(export_to) must then be
      C(.) or the own namespace.
    type: dict
    aliases:
    - workloadSelector
    suboptions:
      match_labels:
        description:
        - Labels of the workloads the rule applies to.
        type: dict
        aliases:
        - matchLabels
"""

EXAMPLES = r"""
- name: Define the subsets a canary VirtualService routes to
  meshsmith.istio.destination_rule:
    name: reviews
    namespace: bookinfo
    destination_host: reviews
    subsets:
      - name: v1
        labels: {version: v1}
      - name: v2
        labels: {version: v2}

- name: Mutual TLS, least-request balancing and outlier detection, written with Istio's own field names
  meshsmith.istio.destination_rule:
    name: ratings
    namespace: bookinfo
    destination_host: ratings.bookinfo.svc.cluster.local
    trafficPolicy:
      tls: {mode: ISTIO_MUTUAL}
      loadBalancer: {simple: LEAST_REQUEST}
      outlierDetection:
        consecutive5xxErrors: 5
        interval: 30s
        baseEjectionTime: 60s
    exportTo: ["."]

- name: Remove the DestinationRule
  meshsmith.istio.destination_rule:
    name: reviews
    namespace: bookinfo
    state: absent
"""

RETURN = r"""
method:
  description: What was done.
  returned: always
  type: str
  choices: [created, updated, deleted, unchanged]
  sample: created
result:
  description: The DestinationRule as stored (in check mode, the API server's answer to the dry run); empty after a delete.
  returned: always
  type: dict
  sample:
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: reviews, namespace: bookinfo, resourceVersion: "1042"}
    spec:
      host: reviews
      subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
errors:
  description:
    - When the spec is invalid, every setting istiod (or the API server) would refuse, each with its option path;
      the task's C(msg) lists them too, and C(option) is the first one's path.
  returned: on a validation failure
  type: list
  elements: dict
  sample: [{option: "subsets[1].name", msg: "duplicate subset names: v1"}]
diff:
  description: Metadata and spec before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import run_resource_module
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import DESTINATION_RULE


def main() -> None:
    run_resource_module(DESTINATION_RULE)


if __name__ == "__main__":
    main()
