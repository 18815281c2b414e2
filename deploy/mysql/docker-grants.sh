# Init step of the mysql:8.0 image (docker-compose.yml mounts it as
# /docker-entrypoint-initdb.d/20-grants.sh, after 10-schema.sql). Not executable on purpose: the
# image's entrypoint then sources it, so docker_process_sql is at hand. It applies grants.sql with
# the passwords from the container's environment (PAYSTREAM_MYSQL_PASSWORD, SHOP_PASSWORD), escaped
# as SQL string literals; the same file the local servers apply (deploy/servers).
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: '&' in a replacement is literal again

paystream_sql_literal() {
    local v=${1//\\/\\\\}
    printf '%s' "${v//\'/\'\'}"
}

paystream_grants=$(cat /paystream/grants.sql)
paystream_grants=${paystream_grants//'${CDC_PASSWORD}'/$(paystream_sql_literal "${PAYSTREAM_MYSQL_PASSWORD:?set PAYSTREAM_MYSQL_PASSWORD}")}
paystream_grants=${paystream_grants//'${SHOP_PASSWORD}'/$(paystream_sql_literal "${SHOP_PASSWORD:?set SHOP_PASSWORD}")}
docker_process_sql <<<"$paystream_grants"
unset paystream_grants
