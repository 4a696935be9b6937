# govgraph API image: `docker compose up` runs it next to Neo4j (docker-compose.yml).
#   docker build -t govgraph .
#   docker run -p 8000:8000 -v govgraph-data:/data govgraph        # embedded store
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GOVGRAPH_DATA_DIR=/data

WORKDIR /src
# Only what the package is built from (tests, docs and local data stay out of the image).
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY queries ./queries
COPY api ./api
COPY viz ./viz
COPY data ./data
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /data --create-home govgraph

USER govgraph
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
CMD ["govgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
